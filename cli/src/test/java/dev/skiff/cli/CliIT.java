package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged {@code skiff} jar as a user would, against the local test registry. */
class CliIT {
  static String registry;
  @TempDir Path store;

  record Result(int code, String out, String err) {}

  @BeforeAll
  static void readTestEnvironment() throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(System.getProperty("skiff.testenv")))) {
      p.load(in);
    }
    registry = p.getProperty("registry");
  }

  Result skiff(String... args) throws Exception {
    return skiffWithInput("", args);
  }

  Result skiffWithInput(String input, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", "target/skiff.jar"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("SKIFF_STORE", store.toString());
    Path err = Files.createTempFile(store.getParent(), "err", ".txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    try (var stdin = p.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    String errText = Files.readString(err);
    Files.delete(err);
    return new Result(p.exitValue(), out, errText);
  }

  @Test
  void pullImagesInspectRemovePrune() throws Exception {
    String busybox = registry + "/library/busybox:1.35";
    String redis = registry + "/library/redis:7.0";

    Result pull = skiff("pull", busybox, redis);
    assertThat(pull.code()).as(pull.err()).isZero();
    assertThat(pull.out()).contains(busybox + ": sha256:").contains(redis + ": sha256:");

    Result images = skiff("images");
    assertThat(images.out()).contains("IMAGE").contains(busybox).contains(redis).contains("linux/amd64");

    Result inspect = skiff("inspect", redis);
    assertThat(inspect.code()).isZero();
    assertThat(inspect.out()).contains("Entrypoint:").contains("ExposedPorts: [6379/tcp]").contains("Layers:");

    assertThat(skiff("rmi", redis).code()).isZero();
    Result prune = skiff("prune");
    assertThat(prune.out()).contains("Removed 2 blobs, 2 layers"); // manifest + config; base + redis layer
    assertThat(skiff("images", "-q").out().strip()).isEqualTo(busybox);
  }

  /** Runs a container of {@code image} with a snapshot, in this test's store, through the engine's API. */
  private void takeSnapshot(String image, String purpose) throws Exception {
    try (Engine engine = Engine.create(EngineConfig.builder().store(store).build())) {
      engine.run(ContainerSpec.builder(image).command("sh", "-c", "echo initialised > /marker")
          .env("PURPOSE", purpose).snapshot(true).build()).remove();
    }
  }

  @Test
  void imagesListsSnapshotsAndRmiRemovesThem() throws Exception {
    String busybox = registry + "/library/busybox:1.35";
    takeSnapshot(busybox, "cli-it");
    Result images = skiff("images");
    assertThat(images.code()).as(images.err()).isZero();
    assertThat(images.out()).contains("SNAPSHOT").contains("LAST USED").containsPattern("\\n[0-9a-f]{12} +" + busybox + " +[0-9a-f]{12} .*"
        + " PURPOSE\\n");
    Result rmi = skiff("rmi", busybox);
    assertThat(rmi.out()).isEqualTo("Removed " + busybox + " and 1 snapshot(s) of it\n");
    assertThat(skiff("images").out()).doesNotContain("SNAPSHOT");
    assertThat(store.resolve("snapshots")).isEmptyDirectory();
  }

  @Test
  void lockRecordsChecksAndUpdatesTags(@TempDir Path project) throws Exception {
    String busybox = registry + "/library/busybox:1.35";
    Path lockFile = project.resolve("skiff.lock");

    Result lock = skiff("lock", "--file", lockFile.toString(), busybox);
    assertThat(lock.code()).as(lock.err()).isZero();
    assertThat(lock.out()).startsWith(busybox + ": locked to sha256:");
    String digest = lock.out().strip().replaceFirst(".* ", "");
    assertThat(Files.readString(lockFile)).contains(busybox + " " + digest);

    Result check = skiff("lock", "--file", lockFile.toString());
    assertThat(check.code()).as(check.err()).isZero();
    assertThat(check.out()).isEqualTo(busybox + ": " + digest + ", unchanged\n");

    String stale = "sha256:" + "0".repeat(64);
    Files.writeString(lockFile, Files.readString(lockFile).replace(digest, stale));
    Result moved = skiff("lock", "--file", lockFile.toString());
    assertThat(moved.code()).isEqualTo(1);
    assertThat(moved.out()).contains(busybox + ": " + stale + ", MOVED: the tag names " + digest + " now");
    assertThat(moved.err()).contains("skiff lock --update --file " + lockFile);
    assertThat(Files.readString(lockFile)).as("a check changes nothing").contains(stale);

    Result updated = skiff("lock", "--update", "--file", lockFile.toString());
    assertThat(updated.code()).as(updated.err()).isZero();
    assertThat(updated.out()).contains(busybox + ": " + digest + ", updated from " + stale);
    assertThat(Files.readString(lockFile)).contains(busybox + " " + digest).doesNotContain(stale);

    Result missing = skiff("lock", "--file", project.resolve("none.lock").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("There is no lock file at").contains("skiff lock redis:7.0");
  }

  @Test
  void runStreamsTheOutputAndExitsWithTheContainersCode() throws Exception {
    String busybox = registry + "/library/busybox:1.35";
    Result run = skiff("run", "-e", "GREETING=hi there", "-w", "/tmp", "--hostname", "box", busybox,
        "sh", "-c", "echo $GREETING; pwd; hostname; echo oops >&2; exit 7");

    assertThat(run.code()).as(run.err()).isEqualTo(7);
    assertThat(run.out()).isEqualTo("hi there\n/tmp\nbox\n");
    assertThat(run.err()).contains("oops");
    try (var containers = Files.list(store.resolve("containers"))) {
      assertThat(containers).as("containers left behind").isEmpty();
    }
  }

  @Test
  void runWithAMemoryLimitSaysWhenTheContainerWasKilledForExceedingIt() throws Exception {
    String busybox = registry + "/library/busybox:1.35";
    String hog = "head -c 200m /dev/zero | tail";
    Result run = skiff("run", "-m", "16m", busybox, "sh", "-c", hog);
    assertThat(run.code()).as(run.err()).isEqualTo(137);
    assertThat(run.err()).contains("was killed for exceeding its memory limit of 16 MiB (-m 16m); give it more with a"
        + " larger -m, e.g. -m 32m");
    Result fits = skiff("run", "--memory", "64m", "--cpus", "0.5", "--pids-limit", "20", busybox, "sh", "-c",
        "head -c 4m /dev/zero | tail | wc -c");
    assertThat(fits.code()).as(fits.err()).isZero();
    assertThat(fits.out().strip()).isEqualTo(Long.toString(4L << 20));
    assertThat(fits.err()).doesNotContain("memory limit");
    assertThat(skiff("run", "-m", "5m", busybox, "true").err()).startsWith("skiff: A memory limit of 5 MiB is too"
        + " small");
    assertThat(skiff("run", "-m", "lots", busybox, "true").err()).startsWith("skiff: 'lots' is not a memory size");

    Result detached = skiff("run", "-d", "-m", "16m", "--name", "hog", busybox, "sh", "-c", hog);
    assertThat(detached.code()).as(detached.err()).isZero();
    String id = detached.out().strip();
    List<Path> cgroups = new ArrayList<>();
    new com.fasterxml.jackson.databind.ObjectMapper().readTree(store.resolve("containers/" + id.substring(0, 12)
        + "/container.json").toFile()).path("cgroups").forEach(d -> cgroups.add(Path.of(d.asText())));
    assertThat(cgroups).isNotEmpty();
    String ps = "";
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); !ps.contains("Exited");
        Thread.sleep(100)) {
      ps = skiff("ps", "-a").out();
      assertThat(System.nanoTime()).as("hog exits: " + ps).isLessThan(deadline);
    }
    assertThat(ps).contains("Exited (137) OOMKilled").contains("hog");
    assertThat(skiff("rm", "hog").code()).isZero();
    assertThat(cgroups).noneMatch(Files::exists);
  }

  @Test
  void cpCopiesIntoARunningContainerAndOutOfItBeforeAndAfterItExits(@TempDir Path host) throws Exception {
    String busybox = registry + "/library/busybox:1.35";
    Result run = skiff("run", "-d", "--name", "box", busybox, "sh", "-c",
        "mkdir /out && echo report > /out/r.txt && while [ ! -f /in/stop ]; do sleep 0.05; done");
    assertThat(run.code()).as(run.err()).isZero();
    Files.writeString(host.resolve("conf.txt"), "key=value\n");

    assertThat(skiff("cp", host.resolve("conf.txt").toString(), "box:/in/").code()).isZero();
    assertThat(skiff("exec", "box", "cat", "/in/conf.txt").out()).isEqualTo("key=value\n");
    Result out = skiff("cp", "box:/out", host.toString());
    assertThat(out.code()).as(out.err()).isZero();
    assertThat(Files.readString(host.resolve("out/r.txt"))).isEqualTo("report\n");

    assertThat(skiff("exec", "box", "touch", "/in/stop").code()).isZero();
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); !skiff("ps", "-a").out().contains("Exited");
        Thread.sleep(100)) {
      assertThat(System.nanoTime()).as("box exits").isLessThan(deadline);
    }
    Result exited = skiff("cp", "box:/in/conf.txt", host.resolve("back.txt").toString());
    assertThat(exited.code()).as(exited.err()).isZero();
    assertThat(Files.readString(host.resolve("back.txt"))).isEqualTo("key=value\n");
    assertThat(skiff("cp", host.resolve("conf.txt").toString(), "box:/in/again.txt").err())
        .contains("container box is exited; it must be running");
    assertThat(skiff("cp", "box:/no/such", host.toString()).err()).contains("/no/such").contains("no such file");
    assertThat(skiff("cp", "a.txt", "b.txt").err()).contains("Exactly one of SOURCE and DEST names a container");
    assertThat(skiff("rm", "box").code()).isZero();
  }

  @Test
  void pruneRemovesSnapshotsUnusedForTheGivenAge() throws Exception {
    String busybox = registry + "/library/busybox:1.35";
    takeSnapshot(busybox, "prune-it");
    assertThat(skiff("prune", "--snapshots-unused-for", "7d").out()).contains(", 0 snapshots,");
    assertThat(skiff("prune", "--snapshots-unused-for", "soon").err()).contains("'soon' is not an age")
        .contains("e.g. 7d, 12h or 30m");
    assertThat(skiff("images").out()).contains("SNAPSHOT");
    assertThat(skiff("prune", "--snapshots-unused-for", "0").out()).contains(", 1 snapshots,");
    assertThat(skiff("images").out()).doesNotContain("SNAPSHOT").contains(busybox);
  }

  @Test
  void runPublishesAPortOnTheGivenHostPort(@TempDir Path work) throws Exception {
    int hostPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      hostPort = free.getLocalPort();
    }
    Path output = work.resolve("run-p.txt"); // deleted with the test, unlike a file beside the store
    String script = "mkdir /www && echo published > /www/index.html && exec httpd -f -p 8080 -h /www";
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        "target/skiff.jar", "run", "-p", hostPort + ":8080", registry + "/library/busybox:1.35", "sh", "-c", script)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    pb.environment().put("SKIFF_STORE", store.toString());
    Process run = pb.start();
    try {
      String body = null;
      for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); body == null; Thread.sleep(100)) {
        try (Socket s = new Socket("127.0.0.1", hostPort)) {
          s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
          body = response.contains(" 200 ") ? response.substring(response.indexOf("\r\n\r\n") + 4) : null;
        } catch (IOException notYet) {
          assertThat(run.isAlive()).as("skiff run ended: " + Files.readString(output))
              .isTrue();
          assertThat(System.nanoTime()).as("port " + hostPort + " answered within 60 s").isLessThan(deadline);
        }
      }
      assertThat(body).isEqualTo("published\n");
    } finally {
      run.destroy(); // SIGTERM: skiff removes the container on its way out
      assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(skiff("run", "-p", "80/sctp", registry + "/library/busybox:1.35", "true").err())
        .startsWith("skiff: '80/sctp' names protocol 'sctp'; use tcp or udp");
  }

  @Test
  void networkCreateRunByAliasListRemove() throws Exception {
    String busybox = registry + "/library/busybox:1.35";
    assertThat(skiff("network", "create", "backend").out()).isEqualTo("backend\n");
    assertThat(skiff("network", "create", "backend").err()).contains("A network named backend exists already");
    Result server = skiff("run", "-d", "--name", "web", "--network", "backend", "--alias", "api", busybox, "sh", "-c",
        "mkdir /www && echo networked > /www/index.html && exec httpd -f -p 8080 -h /www");
    assertThat(server.code()).as(server.err()).isZero();
    String id = server.out().strip();

    Result client = skiff("run", "--network", "backend", busybox, "sh", "-c", "for i in $(seq 100); do"
        + " r=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 1 api 8080 | tail -n 1) && [ -n \"$r\" ] && echo \"$r\""
        + " && exit 0; sleep 0.1; done; exit 1");
    assertThat(client.code()).as(client.err()).isZero();
    assertThat(client.out()).isEqualTo("networked\n");
    assertThat(skiff("network", "ls").out()).containsPattern("backend +10\\.\\d+\\.\\d+\\.0/24 +web\n");
    assertThat(skiff("network", "rm", "backend").err()).contains("Network backend still has members web");

    assertThat(skiff("rm", "-f", id).code()).isZero();
    Result rm = skiff("network", "rm", "backend");
    assertThat(rm.code()).as(rm.err()).isZero();
    assertThat(skiff("network", "ls").out()).doesNotContain("backend");
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(store.toString());
    assertThat(skiff("run", "--network", "backend", busybox, "true").err()).contains("No network named backend");
  }

  @Test
  void badInputGetsAMessageNotAStackTrace() throws Exception {
    Result bad = skiff("pull", "Not/A:Valid:Ref");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).startsWith("skiff: Invalid image reference").doesNotContain("\tat ");

    Result missing = skiff("inspect", registry + "/library/busybox:1.35");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("not in the store").contains("skiff pull");

    Result offline = skiff("pull", "--policy", "never", registry + "/library/busybox:1.35");
    assertThat(offline.code()).isEqualTo(1);
    assertThat(offline.err()).contains("pull policy is 'never'");
  }

  @Test
  void aDetachedContainerOutlivesTheCliAndIsListedExecdLoggedStoppedAndRemoved() throws Exception {
    String busybox = registry + "/library/busybox:1.35";
    Result run = skiff("run", "-d", "--name", "web", busybox,
        "sh", "-c", "echo started; echo warn >&2; trap 'echo bye; exit 4' TERM; while true; do sleep 0.1; done");
    assertThat(run.code()).as(run.err()).isZero();
    String id = run.out().strip();
    assertThat(id).matches("[0-9a-f]{64}");

    assertThat(skiff("ps").out()).contains(id.substring(0, 12)).contains("Up ").contains("web")
        .contains("\"sh -c echo started;…\"");
    Result exec = skiff("exec", "-e", "X=1", "web", "sh", "-c", "echo $X $(hostname); exit 3");
    assertThat(exec.code()).isEqualTo(3);
    assertThat(exec.out()).isEqualTo("1 " + id.substring(0, 12) + "\n");
    assertThat(skiffWithInput("piped\n", "exec", "-i", id.substring(0, 6), "cat").out()).isEqualTo("piped\n");
    Result missing = skiff("exec", "web", "no-such-program");
    assertThat(missing.code()).isEqualTo(127);
    assertThat(missing.err()).contains("'no-such-program'").contains("not found");
    Result logs = skiff("logs", "web");
    assertThat(logs.out()).isEqualTo("started\n");
    assertThat(logs.err()).isEqualTo("warn\n");

    assertThat(skiff("rm", "web").err()).contains("is running").contains("rm -f");
    assertThat(skiff("stop", "web").code()).isZero();
    assertThat(skiff("ps").out()).doesNotContain("web");
    assertThat(skiff("ps", "-a").out()).contains("Exited (4)").contains("web");
    assertThat(skiff("logs", "web").out()).isEqualTo("started\nbye\n");
    assertThat(skiff("rm", "web").code()).isZero();
    assertThat(skiff("ps", "-a", "-q").out()).isEmpty();
    try (var containers = Files.list(store.resolve("containers"))) {
      assertThat(containers).isEmpty();
    }
  }

  @Test
  void rmiAndPruneLeaveTheFilesOfADetachedContainer() throws Exception {
    String busybox = registry + "/library/busybox:1.35";
    Result run = skiff("run", "-d", "--name", "held", busybox, "sleep", "1000");
    assertThat(run.code()).as(run.err()).isZero();
    String listing = skiff("exec", "held", "ls", "/bin").out();
    assertThat(listing).contains("sleep");

    Result refused = skiff("rmi", busybox);
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("skiff: Cannot remove " + busybox + ": container(s) held of the store use its"
        + " files").contains("skiff rm -f held").contains("skiff rmi --force");
    assertThat(skiff("images", "-q").out().strip()).isEqualTo(busybox);

    Result forced = skiff("rmi", "--force", busybox);
    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(forced.out()).isEqualTo("Removed " + busybox + "; its files stay until container(s) held are removed\n");
    Result prune = skiff("prune");
    assertThat(prune.out()).isEqualTo("Removed 2 blobs, 0 layers, 0 fixups, 0 snapshots, 0 leftovers\n"
        + "Kept 1 layers, 0 fixups, 0 snapshots in use by 1 containers (skiff ps -a)\n");
    Result after = skiff("exec", "held", "ls", "/bin");
    assertThat(after.code()).as(after.err()).isZero();
    assertThat(after.out()).isEqualTo(listing);

    assertThat(skiff("rm", "-f", "held").code()).isZero();
    assertThat(skiff("prune").out()).isEqualTo("Removed 0 blobs, 1 layers, 0 fixups, 0 snapshots, 0 leftovers\n");
    try (var layers = Files.list(store.resolve("layers/sha256"))) {
      assertThat(layers).isEmpty();
    }
  }

  @Test
  void containersOfAnotherJvmAreReachable() throws Exception {
    String busybox = registry + "/library/busybox:1.35";
    try (Engine engine = Engine.create(EngineConfig.builder().store(store).build());
        Container c = engine.run(ContainerSpec.builder(busybox).name("owned")
            .command("sh", "-c", "echo ready; sleep 1000; true").build())) {
      assertThat(skiff("ps").out()).contains(c.shortId()).contains("owned");
      assertThat(skiff("exec", "owned", "cat", "/proc/1/cmdline").out()).isEqualTo("sh\0-c\0echo ready; sleep 1000; true\0");
      assertThat(skiff("logs", "owned").out()).isEqualTo("ready\n");
      assertThat(skiff("rm", "-f", "owned").code()).isZero();
      assertThat(c.waitFor(Duration.ofSeconds(10))).isEqualTo(137);
      assertThat(skiff("ps", "-a", "-q").out()).isEmpty();
    }
  }

  /**
   * A shell command run by util-linux {@code script} on a pseudo-terminal of its own, as if typed in a terminal
   * window: the test types into it and reads what the terminal shows.
   */
  final class Terminal implements AutoCloseable {
    private final Process process;
    private final StringBuffer shown = new StringBuffer();

    Terminal(String shellCommand) throws IOException {
      String skiff = Path.of(System.getProperty("java.home"), "bin", "java") + " -jar target/skiff.jar";
      ProcessBuilder pb = new ProcessBuilder("script", "-qec", shellCommand.replace("SKIFF", skiff), "/dev/null")
          .redirectErrorStream(true);
      pb.environment().put("SKIFF_STORE", store.toString());
      process = pb.start();
      Thread reader = new Thread(() -> {
        byte[] buf = new byte[4096];
        try (InputStream in = process.getInputStream()) {
          int n;
          while ((n = in.read(buf)) > 0) {
            shown.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          }
        } catch (IOException e) {
          // script ended
        }
      });
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits until the terminal shows {@code text} after what it showed at {@code from}; returns where it ends. */
    int await(String text, int from) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      int at;
      while ((at = shown.indexOf(text, from)) < 0) {
        assertThat(System.nanoTime()).as("the terminal shows %s after %s:%n%s", text, from, shown).isLessThan(deadline);
        Thread.sleep(20);
      }
      return at + text.length();
    }

    void type(String keys) throws IOException {
      process.getOutputStream().write(keys.getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    }

    /** Everything shown, once the shell command has ended. */
    String end() throws InterruptedException {
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("script ended; shown: %s", shown).isTrue();
      Thread.sleep(100); // the reader's last bytes
      return shown.toString();
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  @Test
  void runItIsAnInteractiveShellInRawModeThatFollowsTheWindowAndRestoresTheTerminal() throws Exception {
    String busybox = registry + "/library/busybox:1.35";
    assertThat(skiff("pull", busybox).code()).isZero();
    Path resize = store.resolve("resize");
    // Without job control, the background resizer is in the terminal's foreground group and may resize it as a
    // terminal window's resize does: the terminal sends SIGWINCH to that group, skiff's.
    try (Terminal t = new Terminal("stty rows 30 cols 90; echo before=$(stty -g);"
        + " (while [ ! -e " + resize + " ]; do sleep 0.05; done; stty rows 40 cols 100 </dev/tty; echo resized-outside) &"
        + " SKIFF run -it " + busybox + " sh; echo exit=$?; echo after=$(stty -g)")) {
      int at = t.await("/ # ", 0);
      t.type("stty size; echo $((6*7))\r");
      at = t.await("30 90\r\n42\r\n/ # ", at);
      Files.createFile(resize);
      at = t.await("resized-outside", at);
      t.type("stty size; echo hi; exit 3\r");
      String shown = t.end().substring(at);
      assertThat(shown).contains("40 100\r\nhi\r\n").contains("exit=3");
      // Raw mode while the shell ran: only the shell echoed the typed line, not the terminal too.
      assertThat(shown.split("echo hi; exit 3", -1)).hasSize(2);
      // Cooked mode after it, exactly as before.
      java.util.regex.Matcher before = java.util.regex.Pattern.compile("before=(\\S+)").matcher(t.shown);
      java.util.regex.Matcher after = java.util.regex.Pattern.compile("after=(\\S+)").matcher(shown);
      assertThat(before.find() && after.find()).as(shown).isTrue();
      assertThat(after.group(1)).isEqualTo(before.group(1));
    }
    try (var containers = Files.list(store.resolve("containers"))) {
      assertThat(containers).as("containers left behind").isEmpty();
    }
  }

  @Test
  void aCliKilledWithMinus9LeavesTheTerminalAsItWas() throws Exception {
    String busybox = registry + "/library/busybox:1.35";
    assertThat(skiff("pull", busybox).code()).isZero();
    try (Terminal t = new Terminal("echo before=$(stty -g); SKIFF run -it " + busybox + " sh; echo exit=$?; sleep 2;"
        + " echo after=$(stty -g)")) {
      t.await("/ # ", 0);
      ProcessHandle cli = t.process.descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
          .findFirst().orElseThrow();
      cli.destroyForcibly(); // SIGKILL: no shutdown hook runs; the launcher restores the terminal
      String shown = t.end();
      assertThat(shown).contains("exit=137");
      String before = shown.replaceAll("(?s).*before=(\\S+).*", "$1");
      assertThat(shown.replaceAll("(?s).*after=(\\S+).*", "$1")).isEqualTo(before).doesNotContain("before");
    }
  }

  @Test
  void execItAndTtyWithoutATerminal() throws Exception {
    String busybox = registry + "/library/busybox:1.35";
    assertThat(skiff("run", "-d", "--name", "box", busybox, "sleep", "1000").code()).isZero();
    try (Terminal t = new Terminal("SKIFF exec -it box sh; echo exit=$?")) {
      int at = t.await("/ # ", 0);
      t.type("tty; ps -o tty,args | grep -c 136,0; exit 5\r");
      assertThat(t.end().substring(at)).contains("/dev/pts/0\r\n3\r\n").contains("exit=5"); // sh, ps, grep
    }
    // -t without a terminal: still a pseudo-terminal, whose output is CRLF'ed, as with Docker.
    Result piped = skiff("exec", "-t", "box", "sh", "-c", "tty; [ -t 0 ] && echo stdin-is-a-tty; exit 4");
    assertThat(piped.code()).isEqualTo(4);
    assertThat(piped.out()).isEqualTo("/dev/pts/0\r\nstdin-is-a-tty\r\n");
    Result run = skiff("run", "-t", busybox, "sh", "-c", "tty; echo hi >&2");
    assertThat(run.out()).isEqualTo("/dev/pts/0\r\nhi\r\n");
    assertThat(run.err()).isEmpty();
    Result interactive = skiffWithInput("one\ntwo\n", "run", "-i", busybox, "sh", "-c", "[ -t 0 ] || wc -l");
    assertThat(interactive.out()).isEqualTo("2\n");
    assertThat(skiff("rm", "-f", "box").code()).isZero();
  }
}
