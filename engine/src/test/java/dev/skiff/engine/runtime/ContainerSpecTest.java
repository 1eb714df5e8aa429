package dev.skiff.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.wait.Wait;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ContainerSpecTest {

  /** Every field set to a non-default value, so a field that toBuilder() forgets shows up as a difference. */
  private static ContainerSpec everythingSet() {
    return ContainerSpec.builder("redis:7.0")
        .entrypoint("/bin/sh", "-c").command("echo hi").env("A", "1").workingDir("/srv").user("1000:1000")
        .hostname("box").name("cache").label("team", "shop").mount(ContainerSpec.Mount.tmpfs("/scratch", "size=1m"))
        .waitingFor(Wait.forListeningPort()).startupTimeout(Duration.ofSeconds(7)).startupAttempts(2)
        .copyIn(new byte[] {1}, "/etc/x", 0644).copyIn(Path.of("pom.xml"), "/pom.xml").init(true).detached(true)
        .publish(PortBinding.tcp(6379)).publish(PortBinding.udp(53)).publishImageExposedPorts().exposeHostPorts(8080)
        .memory(dev.skiff.engine.cgroup.MemorySize.parse("64m")).memorySwap(dev.skiff.engine.cgroup.MemorySize.parse("128m"))
        .cpus(0.5).cpuShares(512).pidsLimit(100).ttySize(40, 120).stdinOpen(true)
        .snapshot(true)
        .build();
  }

  @Test
  void toBuilderCopiesEveryField() throws IllegalAccessException {
    ContainerSpec spec = everythingSet();
    ContainerSpec copy = spec.toBuilder().build();
    for (Field field : ContainerSpec.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      field.setAccessible(true);
      assertThat(field.get(copy)).as(field.getName()).isEqualTo(field.get(spec));
    }
  }

  @Test
  void everyFieldOfTheSampleDiffersFromTheDefault() throws IllegalAccessException {
    ContainerSpec defaults = ContainerSpec.builder("redis:7.0").build();
    ContainerSpec spec = everythingSet();
    for (Field field : ContainerSpec.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) || field.getName().equals("image")
          || field.getName().equals("networks")) { // a network needs an engine; ContainerSpec keeps joins as given
        continue;
      }
      field.setAccessible(true);
      assertThat(field.get(spec)).as(field.getName() + " (set it in everythingSet())").isNotEqualTo(field.get(defaults));
    }
  }

  @Test
  void aDerivedSpecLeavesTheOriginalAlone() {
    ContainerSpec spec = everythingSet();
    ContainerSpec derived = spec.toBuilder().env("B", "2").command("true").build();
    assertThat(spec.env()).containsOnlyKeys("A");
    assertThat(derived.env()).containsOnlyKeys("A", "B");
    assertThat(spec.command()).contains(java.util.List.of("echo hi"));
  }
}
