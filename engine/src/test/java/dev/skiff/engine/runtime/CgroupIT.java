package dev.skiff.engine.runtime;

import static dev.skiff.engine.runtime.ContainerIT.BUSYBOX;
import static dev.skiff.engine.runtime.ContainerIT.TIMEOUT;
import static dev.skiff.engine.runtime.ContainerIT.busybox;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.cgroup.MemorySize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resource limits on real containers: enforced by the kernel, reported, and their cgroups gone with the container. */
class CgroupIT extends RuntimeIT {
  /** Waits in the container until an exec creates /tmp/go. */
  static final String AWAIT_GO = "while [ ! -e /tmp/go ]; do sleep 0.02; done; ";

  /** The value of {@code v1File}, or of {@code v2File} on cgroup v2, in whichever of {@code dirs} has it. */
  static String limit(List<Path> dirs, String v1File, String v2File) throws IOException {
    for (Path dir : dirs) {
      for (String file : List.of(v1File, v2File)) {
        try {
          return Files.readString(dir.resolve(file)).trim();
        } catch (NoSuchFileException e) {
          // another controller's cgroup, or the other version
        }
      }
    }
    throw new AssertionError("Neither " + v1File + " nor " + v2File + " in " + dirs);
  }

  static String statLine(List<Path> dirs, String file, String key) throws IOException {
    return Files.readAllLines(dirs.stream().filter(d -> Files.exists(d.resolve(file))).findFirst().orElseThrow()
        .resolve(file)).stream().filter(l -> l.startsWith(key + " ")).findFirst().orElseThrow();
  }

  @Test
  void aProcessBeyondTheMemoryLimitIsOomKilledAndTheContainerSaysSo() throws Exception {
    Container c = engine.run(busybox("sh", "-c", AWAIT_GO + "head -c 200m /dev/zero | tail").memory(
        MemorySize.parse("16m")).build());
    List<Path> dirs = c.cgroupDirectories();
    assertThat(dirs).as("cgroups of a container with a memory limit").isNotEmpty().allMatch(Files::isDirectory);
    assertThat(limit(dirs, "memory.limit_in_bytes", "memory.max")).isEqualTo(Long.toString(16L << 20));
    assertThat(limit(dirs, "memory.memsw.limit_in_bytes", "memory.swap.max")).as("no swap beyond the limit")
        .isIn(Long.toString(16L << 20), "0");
    for (Path dir : dirs) {
      assertThat(Files.readAllLines(dir.resolve("cgroup.procs"))).as("PID 1 joined %s", dir)
          .contains(Long.toString(c.pid()));
    }
    ExecResult self = c.exec("cat", "/proc/self/cgroup");
    assertThat(self.stdout()).as("an exec joins the container's cgroups").contains("skiff-" + c.id());
    assertThat(c.oomKilled()).as("while it runs").isFalse();

    c.exec("touch", "/tmp/go");
    assertThat(c.waitFor(TIMEOUT)).isEqualTo(137);
    assertThat(c.oomKilled()).isTrue();
    assertThat(dirs).as("cgroups once it has exited").noneMatch(Files::exists);
    assertThat(engine.runtime().find(c.id()).oomKilled()).as("ContainerInfo").isTrue();
    c.remove();

    try (Container fits = runToExit(busybox("sh", "-c", "head -c 4m /dev/zero | tail | wc -c")
        .memory(MemorySize.parse("32m")))) {
      assertThat(fits.exitCode()).hasValue(0);
      assertThat(fits.logs().stdout().strip()).isEqualTo(Long.toString(4L << 20));
      assertThat(fits.oomKilled()).isFalse();
      assertThat(engine.runtime().find(fits.id()).oomKilled()).isFalse();
    }
  }

  @Test
  void forkingBeyondThePidsLimitFailsInsideWhileTheContainerRunsOn() throws Exception {
    // A shell whose fork fails gives up, so the forking is left to a child shell.
    try (Container c = engine.run(busybox("sh", "-c", "sh -c 'for i in $(seq 12); do sleep 30 & done'; echo alive;"
        + " exec sleep 1000").pidsLimit(6).build())) {
      while (!c.logs().stdout().contains("alive") && c.isRunning()) {
        Thread.sleep(10);
      }
      assertThat(c.logs().stderr()).contains("can't fork");
      assertThat(c.isRunning()).isTrue();
      assertThat(limit(c.cgroupDirectories(), "pids.max", "pids.max")).isEqualTo("6");
      assertThat(limit(c.cgroupDirectories(), "pids.current", "pids.current")).as("PID 1 and the sleeps started")
          .isEqualTo("5");
    }
  }

  @Test
  void cpuLimitsAreWrittenAndABusyLoopIsThrottled() throws Exception {
    try (Container c = engine.run(busybox("sh", "-c", "while :; do :; done").cpus(0.2).cpuShares(512).build())) {
      List<Path> dirs = c.cgroupDirectories();
      String quota = limit(dirs, "cpu.cfs_quota_us", "cpu.max");
      assertThat(quota).isIn("20000", "20000 100000");
      if (quota.equals("20000")) {
        assertThat(limit(dirs, "cpu.cfs_period_us", "cpu.max")).isEqualTo("100000");
      }
      assertThat(limit(dirs, "cpu.shares", "cpu.weight")).isIn("512", "20");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      String throttled;
      do {
        Thread.sleep(50);
        throttled = statLine(dirs, "cpu.stat", "nr_throttled");
      } while (throttled.equals("nr_throttled 0") && System.nanoTime() < deadline);
      assertThat(throttled).as("cpu.stat of a busy loop limited to 0.2 CPUs").isNotEqualTo("nr_throttled 0");
    }
  }

  @Test
  void aContainerWithoutLimitsGetsNoCgroupOfItsOwn() throws Exception {
    try (Container c = engine.run(sleeping().build())) {
      assertThat(c.cgroupDirectories()).isEmpty();
      assertThat(Files.readString(Path.of("/proc", Long.toString(c.pid()), "cgroup")))
          .isEqualTo(Files.readString(Path.of("/proc/self/cgroup")));
    }
  }

  @Test
  void stopKillAndRemoveLeaveNoCgroup() throws Exception {
    ContainerSpec limited = sleeping().memory(MemorySize.parse("64m")).pidsLimit(100).build();
    List<Path> all = new ArrayList<>();
    try (Container stopped = engine.run(limited); Container killed = engine.run(limited);
        Container removed = engine.run(limited)) {
      for (Container c : List.of(stopped, killed, removed)) {
        assertThat(c.cgroupDirectories()).hasSize(2).allMatch(Files::isDirectory);
        all.addAll(c.cgroupDirectories());
      }
      assertThat(stopped.stop(Duration.ofMillis(100))).isEqualTo(Container.StopResult.KILLED);
      assertThat(stopped.cgroupDirectories()).noneMatch(Files::exists);
      killed.kill("KILL");
      assertThat(killed.waitFor(TIMEOUT)).isEqualTo(137);
      assertThat(killed.oomKilled()).isFalse();
      assertThat(killed.cgroupDirectories()).noneMatch(Files::exists);
      removed.remove();
      assertThat(removed.cgroupDirectories()).noneMatch(Files::exists);
    }
    assertThat(all).noneMatch(Files::exists);
  }

  @Test
  void theNextEngineRemovesTheCgroupsOfADeadJvmsContainer(@TempDir Path store) throws Exception {
    ChildJvmContainer.Held held = ChildJvmContainer.start(store.toString(), BUSYBOX, "32m");
    Process child = held.jvm();
    List<Path> dirs = new ArrayList<>();
    new ObjectMapper().readTree(store.resolve("containers").resolve(held.dir()).resolve("container.json").toFile())
        .path("cgroups").forEach(d -> dirs.add(Path.of(d.asText())));
    assertThat(dirs).isNotEmpty().allMatch(Files::isDirectory);

    child.destroyForcibly();
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Path proc = Path.of("/proc", Long.toString(held.pid()));
    for (long killedAt = System.nanoTime(); Files.exists(proc); Thread.sleep(5)) {
      assertThat(System.nanoTime() - killedAt).as("the container's PID 1 lives on").isLessThan(1_000_000_000L);
    }
    assertThat(dirs).as("left behind by the dead JVM").allMatch(Files::isDirectory);

    try (Engine next = Engine.create(EngineConfig.builder().store(store).build())) {
      assertThat(dirs).noneMatch(Files::exists);
    }
  }
}
