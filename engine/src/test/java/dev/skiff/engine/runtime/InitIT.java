package dev.skiff.engine.runtime;

import static dev.skiff.engine.runtime.ContainerIT.BUSYBOX;
import static dev.skiff.engine.runtime.ContainerIT.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** ContainerSpec.Builder.init(true): an init process as PID 1, like docker run --init. */
class InitIT extends RuntimeIT {
  /** Orphans a short-lived process, which the container's PID 1 inherits; returns how many zombies are left. */
  static long zombiesAfterOrphaning(Container c) throws Exception {
    assertThat(c.exec("sh", "-c", "sleep 0.1 & exit 0").exitCode()).isZero();
    Thread.sleep(600);
    return c.exec("ps", "-o", "stat").stdout().lines().filter(s -> s.startsWith("Z")).count();
  }

  @Test
  void initReapsOrphansThatAPlainPid1LeavesAsZombies() throws Exception {
    try (Container plain = engine.run(sleeping().build())) {
      assertThat(zombiesAfterOrphaning(plain)).isEqualTo(1);
    }
    try (Container withInit = engine.run(sleeping().init(true).build())) {
      assertThat(zombiesAfterOrphaning(withInit)).isZero();
      assertThat(zombiesAfterOrphaning(withInit)).isZero();
      // The command runs as PID 2, under the init, with the container's capabilities.
      assertThat(withInit.exec("ps", "-o", "pid,args").stdout()).containsPattern("\\n\\s*2 sleep 1000\\n");
      assertThat(withInit.exec("grep", "CapBnd", "/proc/1/status").stdout()).contains(ContainerIT.DOCKER_CAPS);
    }
  }

  @Test
  void initForwardsTheStopSignalToTheCommand() throws Exception {
    // sleep ignores SIGTERM as PID 1 (see ContainerIT); as the init's child it dies of it.
    try (Container c = engine.run(sleeping().init(true).build())) {
      await().atMost(TIMEOUT).until(() -> c.exec("ps", "-o", "args").stdout().contains("sleep 1000"));
      assertThat(c.stop(Duration.ofSeconds(10))).isEqualTo(Container.StopResult.STOPPED);
      assertThat(c.exitCode()).hasValue(128 + 15);
    }
  }

  @Test
  void theCommandsExitCodeAndOutputAreTheContainers() throws Exception {
    try (Container c = engine.run(ContainerSpec.builder(BUSYBOX).command("sh", "-c", "echo out; echo err >&2; exit 5")
        .init(true).build())) {
      assertThat(c.waitFor(TIMEOUT)).isEqualTo(5);
      assertThat(c.logs().stdout()).isEqualTo("out\n");
      assertThat(c.logs().stderr()).isEqualTo("err\n");
    }
  }

  @Test
  void aMissingCommandStillFailsTheStart() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.run(ContainerSpec.builder(BUSYBOX)
        .command("no-such-command").init(true).build()))
        .isInstanceOf(ContainerStartException.class).hasMessageContaining("no-such-command");
  }
}
