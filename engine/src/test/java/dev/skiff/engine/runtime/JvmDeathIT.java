package dev.skiff.engine.runtime;

import static dev.skiff.engine.testing.TestEnvironment.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A container cannot outlive its JVM; the next engine removes what a dead JVM left; noexec stores work. */
class JvmDeathIT {
  @TempDir Path store;

  @Test
  void containerDiesWithItsJvmAndTheNextEngineCleansUp() throws Exception {
    ChildJvmContainer.Held held = ChildJvmContainer.start(store.toString(), image("library/busybox:1.35"));
    Process child = held.jvm();
    Path proc = Path.of("/proc", Long.toString(held.pid()));
    Path dir = store.resolve("containers").resolve(held.dir());
    assertThat(proc).exists();

    child.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long killedAt = System.nanoTime();
    while (Files.exists(proc) && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(1)) {
      Thread.sleep(5);
    }
    assertThat(proc).as("the container's PID 1, 1 s after its JVM was killed").doesNotExist();
    assertThat(dir).as("left behind by the dead JVM").isDirectory();

    try (Engine next = Engine.create(EngineConfig.builder().store(store).build())) {
      assertThat(dir).doesNotExist();
    }
  }

  /** A JVM started as a background job ignores SIGINT and SIGQUIT; its containers must not inherit that. */
  @Test
  void aContainerStartsWithDefaultSignalsWhateverItsJvmIgnores() throws Exception {
    ChildJvmContainer.Held held = ChildJvmContainer.start(List.of("sh", "-c", "trap '' INT QUIT; exec \"$@\"", "sh"),
        store.toString(), image("library/busybox:1.35"));
    try {
      String status = Files.readString(Path.of("/proc", Long.toString(held.pid()), "status"));
      assertThat(status).contains("SigIgn:\t0000000000000000\n").contains("SigBlk:\t0000000000000000\n");
      String jvm = Files.readString(Path.of("/proc", Long.toString(held.jvm().pid()), "status"));
      assertThat(jvm).as("the child JVM itself ignores SIGINT (bit 2)").doesNotContain("SigIgn:\t0000000000000000");
    } finally {
      held.jvm().destroyForcibly();
      held.jvm().waitFor(10, TimeUnit.SECONDS);
      Path proc = Path.of("/proc", Long.toString(held.pid()));
      for (long killedAt = System.nanoTime(); Files.exists(proc) && System.nanoTime() - killedAt < 5_000_000_000L; ) {
        Thread.sleep(5);
      }
      Engine.create(EngineConfig.builder().store(store).build()).close(); // removes what the killed JVM left
    }
  }

  @Test
  void theNextEngineRemovesDirectoriesAndMountsOfDeadJvms() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path dir = Files.createDirectories(store.resolve("containers/0123456789ab/rootfs"));
    Files.writeString(dir.resolveSibling("container.json"), "{\"id\":\"0123456789ab\",\"ownerPid\":" + gone.pid()
        + ",\"ownerStarted\":\"2020-01-01T00:00:00Z\"}");
    assertThat(new ProcessBuilder("mount", "-t", "tmpfs", "leftover", dir.toString()).start().waitFor()).isZero();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(dir.toString());

    try (Engine next = Engine.create(EngineConfig.builder().store(store).build())) {
      assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(dir.toString());
      assertThat(dir.getParent()).doesNotExist();
    }
  }

  @Test
  void launcherRunsFromMemoryWhenTheStoreIsMountedNoexec() throws Exception {
    Path noexec = Files.createDirectories(store.resolve("noexec"));
    assertThat(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "noexec", "skiff-noexec", noexec.toString()).start()
        .waitFor()).isZero();
    try (Engine engine = Engine.create(EngineConfig.builder().store(noexec).build());
        Container c = engine.run(ContainerSpec.builder(image("library/busybox:1.35")).command("echo", "hi").build())) {
      assertThat(c.waitFor(java.time.Duration.ofSeconds(30))).isZero();
      assertThat(c.logs().stdout()).isEqualTo("hi\n");
    } finally {
      new ProcessBuilder("umount", "-l", noexec.toString()).start().waitFor();
    }
  }
}
