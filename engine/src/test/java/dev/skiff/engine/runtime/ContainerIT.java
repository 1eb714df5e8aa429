package dev.skiff.engine.runtime;

import static dev.skiff.engine.testing.TestEnvironment.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real containers from the real test registry, run as root. */
class ContainerIT extends RuntimeIT {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final String BUSYBOX = image("library/busybox:1.35");
  /** Docker's default capability set, as /proc/PID/status prints it. */
  static final String DOCKER_CAPS = "00000000a80425fb";

  static ContainerSpec.Builder busybox(String... command) {
    return ContainerSpec.builder(BUSYBOX).command(command);
  }

  @Test
  void echoPrintsToStdoutAndExitsZero() throws Exception {
    try (Container c = engine.run(busybox("echo", "hi").build())) {
      assertThat(c.waitFor(TIMEOUT)).isZero();
      assertThat(c.exitCode()).hasValue(0);
      assertThat(c.isRunning()).isFalse();
      assertThat(c.logs().stdout()).isEqualTo("hi\n");
      assertThat(c.logs().stderr()).isEmpty();
    }
  }

  @Test
  void exitCodeIsTheCommands() throws Exception {
    try (Container c = runToExit(busybox("sh", "-c", "exit 3"))) {
      assertThat(c.exitCode()).hasValue(3);
    }
  }

  @Test
  void stderrIsKeptApartFromStdout() throws Exception {
    try (Container c = runToExit(busybox("sh", "-c", "echo out; echo err >&2; echo out2"))) {
      assertThat(c.logs().stdout()).isEqualTo("out\nout2\n");
      assertThat(c.logs().stderr()).isEqualTo("err\n");
    }
  }

  @Test
  void followersGetEveryLineIncludingAnUnterminatedLast() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (Container c = engine.create(busybox("sh", "-c", "echo one; echo two >&2; printf three").build())) {
      c.logs().follow(ContainerLogs.Stream.STDOUT, lines::add);
      c.start().waitFor(TIMEOUT);
      assertThat(lines).containsExactly("one", "three");
    }
  }

  @Test
  void imageConfigGivesUserWorkdirAndEnv() throws Exception {
    // The fixture image has no shell: borrow the host's static busybox.
    ContainerSpec.Builder spec = ContainerSpec.builder(image("skiff-test/layers:1"))
        .mount(ContainerSpec.Mount.bindReadOnly(Path.of("/bin/busybox"), "/busybox"))
        .entrypoint("/busybox", "sh", "-c", "/busybox id -u; /busybox id -g; /busybox pwd; echo $FIXTURE $HOME");
    try (Container c = runToExit(spec)) {
      assertThat(c.logs().stderr()).isEmpty();
      assertThat(c.logs().stdout()).isEqualTo("1000\n1000\n/home/app\nlayers /\n");
    }
  }

  @Test
  void overridesReplaceUserWorkdirAndEnv() throws Exception {
    ContainerSpec.Builder spec = busybox("sh", "-c", "id -u; id -g; pwd; echo $GREETING; echo $HOME")
        .user("app").workingDir("/var/new/dir").env("GREETING", "hello world");
    try (Container c = runToExit(spec)) {
      assertThat(c.logs().stdout()).isEqualTo("1000\n1000\n/var/new/dir\nhello world\n/home/app\n");
    }
    try (Container c = runToExit(busybox("id").user("1234:4321"))) {
      assertThat(c.logs().stdout().trim()).isEqualTo("uid=1234 gid=4321");
    }
  }

  @Test
  void unknownUserNameIsRefusedWithAHint() {
    assertThatThrownBy(() -> engine.create(busybox("true").user("nosuchuser").build()))
        .isInstanceOf(ContainerException.class)
        .hasMessageContaining("'nosuchuser' is not in /etc/passwd")
        .hasMessageContaining("numeric uid");
  }

  @Test
  void missingCommandFailsToStartNamingIt() throws Exception {
    assertThatThrownBy(() -> engine.run(busybox("no-such-command").build()))
        .isInstanceOfSatisfying(ContainerStartException.class, e -> {
          assertThat(e.call()).isEqualTo("execve");
          assertThat(e.path()).isEqualTo("no-such-command");
          assertThat(e.errno()).isEqualTo(2);
        })
        .hasMessageContaining("is not in the image");
    assertThat(containerDirs()).isEmpty();
  }

  @Test
  void seesOnlyItsOwnProcesses() throws Exception {
    // "; true" keeps sh from exec'ing ps as its last command.
    try (Container c = runToExit(busybox("sh", "-c", "ps -o pid,args; true"))) {
      List<String> rows = c.logs().stdout().lines().skip(1).map(String::trim).toList();
      assertThat(rows).hasSize(2);
      assertThat(rows.get(0)).isEqualTo("1 sh -c ps -o pid,args; true");
      assertThat(rows.get(1)).contains("{ps}"); // busybox runs the applet in a forked shell
    }
  }

  @Test
  void hasTheSpecsHostnameAndItsOwnEtcFiles() throws Exception {
    try (Container c = runToExit(busybox("sh", "-c", "hostname; cat /etc/hostname; grep -c box-7 /etc/hosts")
        .hostname("box-7"))) {
      assertThat(c.logs().stdout()).isEqualTo("box-7\nbox-7\n1\n");
    }
  }

  @Test
  void hostFilesAreInvisible(@TempDir Path hostDir) throws Exception {
    Path marker = Files.writeString(hostDir.resolve("marker-" + UUID.randomUUID()), "host");
    try (Container c = runToExit(busybox("sh", "-c", "test -e " + marker + " && echo visible; ls /"))) {
      assertThat(c.logs().stdout()).doesNotContain("visible").doesNotContain(store.getFileName().toString());
      assertThat(c.exitCode()).hasValue(0);
    }
  }

  @Test
  void mountingIsDeniedBecauseCapabilitiesAreDropped() throws Exception {
    try (Container c = runToExit(busybox("sh", "-c", "mount -t tmpfs none /tmp; echo status=$?;"
        + " grep -E '^Cap(Bnd|Eff|Prm|Inh|Amb)' /proc/self/status; grep NoNewPrivs /proc/self/status"))) {
      assertThat(c.logs().stderr()).containsIgnoringCase("permission denied");
      assertThat(c.logs().stdout()).containsPattern("status=[1-9]")
          .contains("CapBnd:\t" + DOCKER_CAPS, "CapEff:\t" + DOCKER_CAPS, "CapPrm:\t" + DOCKER_CAPS,
              "CapInh:\t0000000000000000", "CapAmb:\t0000000000000000", "NoNewPrivs:\t1");
    }
  }

  @Test
  void procPathsAreMaskedAndReadOnly() throws Exception {
    List<String> masked = Stream.of("/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug")
        .filter(p -> Files.exists(Path.of(p))).toList();
    assertThat(masked).isNotEmpty();
    String script = "for p in " + String.join(" ", masked) + "; do stat -c '%n %t:%T' $p; done;"
        + " ls /sys/firmware | wc -l; echo x > /proc/sys/kernel/domainname || echo denied";
    try (Container c = runToExit(busybox("sh", "-c", script))) {
      List<String> expected = new ArrayList<>();
      masked.forEach(p -> expected.add(p + " 1:3")); // /dev/null
      expected.add("0");
      expected.add("denied");
      assertThat(c.logs().stdout().lines()).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void networkHasOnlyLoopbackAndNoRoutes() throws Exception {
    try (Container c = runToExit(busybox("sh", "-c", "ls /sys/class/net; tail -n +2 /proc/net/route | wc -l"))) {
      assertThat(c.logs().stdout()).isEqualTo("lo\n0\n");
    }
  }

  @Test
  void stopEscalatesToSigkillWhenPid1IgnoresSigterm() throws Exception {
    try (Container c = engine.run(busybox("sleep", "1000").build())) {
      long started = System.nanoTime();
      assertThat(c.stop(Duration.ofMillis(300))).isEqualTo(Container.StopResult.KILLED);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      assertThat(c.exitCode()).hasValue(128 + 9);
      assertThat(c.stop(Duration.ofMillis(300))).isEqualTo(Container.StopResult.NOT_RUNNING);
    }
  }

  @Test
  void stopEndsAContainerThatHandlesSigterm() throws Exception {
    String script = "trap 'echo bye; exit 0' TERM; echo ready; while true; do sleep 0.05; done";
    try (Container c = engine.run(busybox("sh", "-c", script).build())) {
      awaitOutput(c, "ready");
      assertThat(c.stop(Duration.ofSeconds(10))).isEqualTo(Container.StopResult.STOPPED);
      assertThat(c.exitCode()).hasValue(0);
      assertThat(c.logs().stdout()).isEqualTo("ready\nbye\n");
    }
  }

  @Test
  void killSendsTheSignal() throws Exception {
    try (Container c = engine.run(busybox("sleep", "1000").build())) {
      assertThat(c.isRunning()).isTrue();
      c.kill("SIGKILL");
      assertThat(c.waitFor(TIMEOUT)).isEqualTo(137);
    }
  }

  @Test
  void removeLeavesNoProcessMountOrDirectory() throws Exception {
    Container c = engine.run(busybox("sleep", "1000").build());
    long pid = c.pid();
    Path dir = store.resolve("containers").resolve(c.shortId());
    assertThat(Path.of("/proc/" + pid)).exists();
    assertThat(Files.readString(Path.of("/proc/" + pid + "/mountinfo"))).contains("overlay");
    assertThat(dir).isDirectory();

    c.remove();

    assertThat(Path.of("/proc/" + pid)).doesNotExist();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(dir.toString());
    assertThat(dir).doesNotExist();
    c.remove(); // twice is fine
  }

  @Test
  void twentyConcurrentContainersAreIsolatedAndCleanedUp() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<String>> outputs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String host = "c" + i;
        outputs.add(pool.submit(() -> {
          String script = "touch /tmp/" + host + "; sleep 0.3; hostname; ls /tmp; ps -o pid > /tmp/ps; wc -l < /tmp/ps";
          try (Container c = runToExit(busybox("sh", "-c", script).hostname(host))) {
            return c.logs().stdout();
          }
        }));
      }
      for (int i = 0; i < 20; i++) {
        // Each sees its own hostname and file, and only its sh and ps (plus the header line).
        assertThat(outputs.get(i).get()).isEqualTo("c" + i + "\nc" + i + "\n3\n");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(containerDirs()).isEmpty();
  }

  @Test
  void redisAnswersPingInsideOneContainer() throws Exception {
    ContainerSpec.Builder spec = ContainerSpec.builder(image("library/redis:7.0"))
        .command("sh", "-c", "redis-server --daemonize yes && sleep 0.5 && redis-cli ping");
    try (Container c = runToExit(spec)) {
      assertThat(c.logs().stdout()).contains("PONG");
      assertThat(c.exitCode()).hasValue(0);
    }
  }

  static void awaitOutput(Container c, String text) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!c.logs().stdout().contains(text)) {
      assertThat(System.nanoTime()).as("'%s' in the output of %s", text, c).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  static List<Path> containerDirs() throws IOException {
    try (Stream<Path> dirs = Files.list(store.resolve("containers"))) {
      return dirs.toList();
    }
  }
}
