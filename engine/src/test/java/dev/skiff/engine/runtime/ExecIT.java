package dev.skiff.engine.runtime;

import static dev.skiff.engine.runtime.ContainerIT.BUSYBOX;
import static dev.skiff.engine.runtime.ContainerIT.DOCKER_CAPS;
import static dev.skiff.engine.runtime.ContainerIT.TIMEOUT;
import static dev.skiff.engine.testing.TestEnvironment.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands run in real running containers. */
class ExecIT extends RuntimeIT {
  /** A busybox container that sleeps until removed, with a user, workdir and variable of its own. */
  static Container sleeper() throws IOException {
    return engine.run(sleeping()
        .user("app").workingDir("/home/app/work").env("GREETING", "hello").hostname("box").build());
  }

  @Test
  void execRunsInTheContainersNamespacesAsItsProcess() throws Exception {
    try (Container c = sleeper()) {
      ExecResult r = c.exec("sh", "-c", "id -u; pwd; echo $GREETING $HOME; hostname; ps -o pid,args; true");
      assertThat(r.exitCode()).isZero();
      assertThat(r.stderr()).isEmpty();
      List<String> lines = r.stdout().lines().toList();
      assertThat(lines.subList(0, 4)).containsExactly("1000", "/home/app/work", "hello /home/app", "box");
      // The container's PID 1, then the exec'd shell and its ps: the exec joined the PID namespace.
      assertThat(lines.get(5)).matches("\\s*1 sleep 1000");
      assertThat(lines).hasSize(8);
    }
  }

  @Test
  void execHasTheContainersCapabilitiesAndNoNewPrivs() throws Exception {
    try (Container c = engine.run(sleeping().build())) {
      ExecResult r = c.exec("sh", "-c", "grep -E '^(CapBnd|CapEff|NoNewPrivs)' /proc/self/status");
      assertThat(r.stdout()).contains("CapBnd:\t" + DOCKER_CAPS, "CapEff:\t" + DOCKER_CAPS, "NoNewPrivs:\t1");
      assertThat(c.exec("mount", "-t", "tmpfs", "t", "/mnt").exitCode()).isNotZero();
    }
  }

  @Test
  void execSeesTheContainersFilesNotTheHosts(@TempDir Path hostDir) throws Exception {
    Files.writeString(hostDir.resolve("host-only"), "x");
    try (Container c = engine.run(ContainerSpec.builder(BUSYBOX)
        .command("sh", "-c", "echo inside > /marker; sleep 1000").build())) {
      await().atMost(TIMEOUT).until(() -> c.exec("cat", "/marker").stdout().equals("inside\n"));
      assertThat(c.exec("ls", hostDir.toString()).exitCode()).isNotZero();
    }
  }

  @Test
  void specOverridesUserWorkdirAndEnvAndExitCodeAndStderrComeBack() throws Exception {
    try (Container c = sleeper()) {
      ExecResult r = c.exec(ExecSpec.builder("sh", "-c", "id; pwd; echo $GREETING $EXTRA $HOME; echo oops >&2; exit 7")
          .user("root").workingDir("/tmp").env("GREETING", "bye").env("EXTRA", "more").build());
      assertThat(r.exitCode()).isEqualTo(7);
      assertThat(r.stdout()).startsWith("uid=0(root) gid=0(root)").endsWith("/tmp\nbye more /root\n");
      assertThat(r.stderr()).isEqualTo("oops\n");
      assertThat(c.exec(ExecSpec.builder("id", "-u").user("4242:4343").build()).stdout()).isEqualTo("4242\n");
    }
  }

  @Test
  void usersAreResolvedInTheContainersCurrentPasswd() throws Exception {
    try (Container c = sleeper()) {
      assertThat(c.exec(ExecSpec.builder("sh", "-c", "echo 'late:x:3333:3333::/late:/bin/sh' >> /etc/passwd")
          .user("root").build()).exitCode()).isZero();
      assertThat(c.exec(ExecSpec.builder("sh", "-c", "id -u; echo $HOME").user("late").build()).stdout())
          .isEqualTo("3333\n/late\n");
      assertThatThrownBy(() -> c.exec(ExecSpec.builder("true").user("nobody-here").build()))
          .isInstanceOf(ContainerException.class).hasMessageContaining("'nobody-here' is not in /etc/passwd");
    }
  }

  @Test
  void missingCommandExits127WithAClearMessage() throws Exception {
    try (Container c = sleeper()) {
      ExecResult r = c.exec("no-such-program", "arg");
      assertThat(r.exitCode()).isEqualTo(127);
      assertThat(r.stderr()).contains("'no-such-program'", "not found", "PATH");
      assertThat(c.exec("/etc/passwd").exitCode()).isEqualTo(126);
    }
  }

  @Test
  void missingWorkingDirectoryIsNamed() throws Exception {
    try (Container c = sleeper()) {
      assertThatThrownBy(() -> c.exec(ExecSpec.builder("true").workingDir("/no/such/dir").build()))
          .isInstanceOf(ContainerException.class).hasMessageContaining("/no/such/dir");
    }
  }

  @Test
  void execNeedsARunningContainer() throws Exception {
    try (Container c = engine.create(ContainerSpec.builder(BUSYBOX).command("true").build())) {
      assertThatThrownBy(() -> c.exec("true")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not been started");
      c.start().waitFor(TIMEOUT);
      assertThatThrownBy(() -> c.exec("true")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("has exited with code 0");
    }
  }

  @Test
  void timeoutKillsTheCommand() throws Exception {
    try (Container c = sleeper()) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> c.exec(ExecSpec.builder("sleep", "30").timeout(Duration.ofMillis(500)).build()))
          .isInstanceOf(ContainerException.class).hasMessageContaining("still ran after");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(c.exec("ps", "-o", "args").stdout()).doesNotContain("sleep 30");
    }
  }

  @Test
  void execdProcessesDieWithTheContainer() throws Exception {
    Container c = sleeper();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<ExecResult> longRunning = pool.submit(() -> c.exec("sleep", "300"));
      await().atMost(TIMEOUT).until(() -> c.exec("ps", "-o", "args").stdout().contains("sleep 300"));
      long hostPid = hostPidOf("sleep 300");
      c.remove();
      assertThat(longRunning.get().exitCode()).isEqualTo(137);
      // Gone, not merely killed: seen once under load still listed right after the exit was reported.
      await().atMost(TIMEOUT).until(() -> !Files.exists(Path.of("/proc/" + hostPid)));
    } finally {
      pool.shutdownNow();
      c.remove();
    }
  }

  @Test
  void redisCliPingsTheServerInItsContainer() throws Exception {
    try (Container c = engine.run(ContainerSpec.builder(image("library/redis:7.0")).build())) {
      await().atMost(TIMEOUT).until(() -> c.exec("redis-cli", "ping").stdout().equals("PONG\n"));
      assertThat(c.exec("redis-cli", "set", "k", "v").stdout()).isEqualTo("OK\n");
      assertThat(c.exec("redis-cli", "get", "k").stdout()).isEqualTo("v\n");
    }
  }

  @Test
  void manyConcurrentExecsEachGetTheirOwnOutput() throws Exception {
    try (Container c = sleeper()) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<ExecResult>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          String n = Integer.toString(i);
          results.add(pool.submit(() -> c.exec("sh", "-c", "echo " + n + "; exit " + n)));
        }
        for (int i = 0; i < 20; i++) {
          assertThat(results.get(i).get().stdout()).isEqualTo(i + "\n");
          assertThat(results.get(i).get().exitCode()).isEqualTo(i);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** The host pid of the one process whose command line is {@code args}. */
  static long hostPidOf(String args) throws IOException {
    try (var procs = Files.list(Path.of("/proc"))) {
      return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(p -> {
            try {
              return new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ').trim().equals(args);
            } catch (IOException e) {
              return false;
            }
          })
          .mapToLong(p -> Long.parseLong(p.getFileName().toString()))
          .findFirst().orElseThrow();
    }
  }
}
