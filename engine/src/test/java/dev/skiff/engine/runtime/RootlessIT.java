package dev.skiff.engine.runtime;

import static dev.skiff.engine.testing.TestEnvironment.image;
import static dev.skiff.engine.testing.TestEnvironment.property;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.fs.TreeDeleter;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rootless path: the engine runs in a child JVM as the unprivileged user that test-env/setup.sh creates (with
 * subordinate ids), and its containers behave as the same containers run as root in this JVM.
 */
class RootlessIT {
  static final String USER = property("rootless.user");
  static final String BUSYBOX = image("library/busybox:1.35");
  static final String REDIS = image("library/redis:7.0");
  static final ObjectMapper JSON = new ObjectMapper();

  /** The user's directory for this run: its class path copy and its stores. */
  static Path work;
  static String classPath;
  @TempDir static Path rootStore;

  @BeforeAll
  static void stageClassPath() throws Exception {
    work = Path.of(property("rootless.home")).resolve("it-" + UUID.randomUUID().toString().substring(0, 8));
    Path lib = Files.createDirectories(work.resolve("lib"));
    List<String> entries = new ArrayList<>();
    // The user may not read root's ~/.m2 or a clone under /root: it gets copies of the jars and class directories.
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      Path copy = lib.resolve(entries.size() + "-" + p.getFileName());
      try (Stream<Path> files = Files.walk(p)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.copy(f, copy.resolve(p.relativize(f).toString()), StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
      entries.add(copy.toString());
    }
    classPath = String.join(File.pathSeparator, entries);
    assertThat(new ProcessBuilder("chown", "-R", USER + ":", work.toString()).inheritIO().start().waitFor()).isZero();
  }

  @AfterAll
  static void removeWork() throws IOException {
    TreeDeleter.delete(work); // as root: subordinate ids' files included
  }

  static List<RootlessRun> runs() {
    return List.of(
        new RootlessRun("id-exit", BUSYBOX, List.of("sh", "-c", "id; exit 3"), null, null, false),
        new RootlessRun("isolation", BUSYBOX, List.of("sh", "-c", "hostname; ps -o pid,user,comm; grep Cap"
            + " /proc/self/status; ls /sys/class/net"), null, null, false),
        new RootlessRun("user", BUSYBOX, List.of("sh", "-c", "id; touch /tmp/mine; stat -c '%u:%g' /tmp/mine"),
            "app", null, false),
        new RootlessRun("fixture-user", image("skiff-test/layers:1"), List.of("/bin/busybox", "sh", "-c",
            "/bin/busybox id; /bin/busybox pwd; /bin/busybox stat -c '%n %u:%g %a' /home/app /data/original.bin"
                + " /data/link-cross-layer.bin /bin/tool"),
            null, "/bin/busybox", false),
        new RootlessRun("redis", REDIS, List.of("sh", "-c", "stat -c '%n %U:%G %a' /data /etc/shadow"
            + " /usr/bin/chage /usr/bin/passwd; docker-entrypoint.sh redis-server --daemonize yes >/dev/null"
            + " && sleep 0.3 && redis-cli ping && for p in /proc/[0-9]*; do grep -q redis-server $p/cmdline"
            + " 2>/dev/null && awk '/^Uid/ {print \"redis-server uid\", $2}' $p/status; done"), null, null, false),
        new RootlessRun("tty", BUSYBOX, List.of("sh", "-c", "tty; stat -c '%u %g %a' $(tty); stty size;"
            + " [ -t 0 ] && echo terminal"), "app", null, true));
  }

  @Test
  void containersBehaveAsTheyDoForRootAndLeaveNothing() throws Exception {
    List<RootlessRun> runs = runs();
    Path runsFile = work.resolve("runs.json");
    JSON.writeValue(runsFile.toFile(), runs);
    Path store = userStore("run");
    ChildResult child = child("run", store.toString(), runsFile.toString());
    assertThat(child.status).as("child JVM (stderr: %s)", child.stderr).isZero();
    Map<String, RootlessRun.Result> rootless = Stream.of(JSON.readValue(child.stdout, RootlessRun.Result[].class))
        .collect(Collectors.toMap(RootlessRun.Result::name, Function.identity()));

    Map<String, RootlessRun.Result> root = new java.util.HashMap<>();
    try (Engine engine = Engine.create(EngineConfig.builder().store(rootStore).build())) {
      for (RootlessRun r : runs) {
        try (Container c = engine.run(r.spec())) {
          root.put(r.name(), new RootlessRun.Result(r.name(), c.waitFor(Duration.ofSeconds(60)), c.logs().stdout(),
              c.logs().stderr()));
        }
      }
    }
    for (RootlessRun r : runs) {
      assertThat(rootless.get(r.name())).as(r.name()).isEqualTo(root.get(r.name()));
    }
    // Not only equal: right.
    assertThat(rootless.get("id-exit").exitCode()).isEqualTo(3);
    assertThat(rootless.get("id-exit").stdout()).startsWith("uid=0(root) gid=0(root)");
    assertThat(rootless.get("isolation").stdout()).startsWith("skiff-rootless\n")
        .contains("CapEff:\t" + ContainerIT.DOCKER_CAPS).endsWith("\nlo\n");
    assertThat(rootless.get("isolation").stdout().lines().filter(l -> l.matches("\\s*\\d+ .*"))).as("processes")
        .hasSize(2).anyMatch(l -> l.matches("\\s*1 root +sh"));
    assertThat(rootless.get("user").stdout()).startsWith("uid=1000(app) gid=1000(app)").endsWith("1000:1000\n");
    assertThat(rootless.get("fixture-user").stdout()).startsWith("uid=1000").contains("/home/app\n",
        "/home/app 1000:1000 750\n", "/data/original.bin 1000:1000 640\n", "/bin/tool 0:0 4755\n");
    assertThat(rootless.get("fixture-user").stdout()).contains("/data/link-cross-layer.bin 1000:1000 640\n");
    assertThat(rootless.get("tty").stdout()).isEqualTo("/dev/pts/0\r\n1000 5 620\r\n24 80\r\nterminal\r\n");
    assertThat(rootless.get("redis").stdout()).contains("/data redis:redis 755\n", "/usr/bin/chage root:shadow 2755\n",
        "/usr/bin/passwd root:root 4755\n", "PONG\n").containsPattern("redis-server uid [1-9]\\d*\n");

    assertThat(list(store.resolve("containers"))).as("container dirs left").isEmpty();
    assertThat(list(store.resolve("layers/sha256"))).as("layers left after prune").isEmpty();
    assertThat(list(store.resolve("tmp"))).isEmpty();
    assertThat(processesOf(USER)).as("processes of %s", USER).isEmpty();
  }

  @Test
  void publishedPortsExecAndCopyWorkRootless() throws Exception {
    Path store = userStore("services");
    ChildResult child = child("services", store.toString(), REDIS, BUSYBOX, work.toString());
    assertThat(child.status).as("child JVM (stderr: %s)", child.stderr).isZero();
    assertThat(child.stdout.lines()).containsExactly(
        "ping: +PONG",
        "exec: PONG",
        "exec-user: redis",
        "exec-tty: /dev/pts/0",
        "copy-in: 640 0 copied",
        "copy-out: out",
        "copy-out-exited: report, group deleted, passwd kept");
    assertThat(list(store.resolve("containers"))).as("container dirs left").isEmpty();
    assertThat(processesOf(USER)).as("processes of %s (the relay included)", USER).isEmpty();
  }

  @Test
  void networksAndHostAccessWorkRootlessInTheEnginesUserNamespace() throws Exception {
    Path store = userStore("connect");
    ChildResult child;
    try (ServerSocket exposed = PublishedPortIT.answering("hello from the host");
        ServerSocket hidden = PublishedPortIT.answering("should stay hidden")) {
      child = child("connect", store.toString(), REDIS, BUSYBOX, Integer.toString(exposed.getLocalPort()),
          Integer.toString(hidden.getLocalPort()));
    }
    assertThat(child.status).as("child JVM (stderr: %s)", child.stderr).isZero();
    List<String> lines = child.stdout.lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("network: 0 +PONG");
    assertThat(lines.get(1)).startsWith("host-access: 0 hello from the host | rc=0 | rc=1 | nc: ")
        .endsWith("Connection refused");
    assertThat(lines.get(2)).startsWith("stored-network: Cannot create network kept as user " + USER + ": a network"
        + " that outlives its JVM").contains("Engine.createNetwork");
    assertThat(store.resolve("networks/kept")).as("what the refused network left").doesNotExist();
    assertThat(processesOf(USER)).as("processes of %s (holders included)", USER).isEmpty();
  }

  @Test
  void limitsWithoutADelegatedCgroupAreSkippedWithOneWarning() throws Exception {
    Path store = userStore("limits");
    ChildResult child = child("limits", store.toString(), BUSYBOX);
    assertThat(child.status).as("child JVM (stderr: %s)", child.stderr).isZero();
    assertThat(child.stdout.lines()).containsExactly("limited: 0 hi", "limited: 0 hi");
    assertThat(child.stderr.lines().filter(l -> l.contains("WITHOUT their resource limits"))).as(child.stderr)
        .singleElement().asString().contains("rootless (as " + USER + ")", "no cgroup is delegated", "run the JVM as root",
            "Delegate=yes");
    assertThat(list(store.resolve("containers"))).as("container dirs left").isEmpty();
  }

  @Test
  void snapshotsKeepWhiteoutsOpaqueDirectoriesAndOwnersRootless() throws Exception {
    Path store = userStore("snapshot");
    ChildResult child = child("snapshot", store.toString(), BUSYBOX);
    assertThat(child.status).as("child JVM (stderr: %s)", child.stderr).isZero();
    assertThat(child.stdout.lines()).containsExactly(
        "init-ran: false",
        "same: true",
        "view: [only, vi-gone, 1000:1000]",
        "changed: 0 [mine, 1000:1000]",
        "other: [x, only, kept]",
        "snapshots: 1",
        "after-rmi: 0");
    assertThat(list(store.resolve("snapshots"))).as("snapshots left after rmi").isEmpty();
    assertThat(list(store.resolve("containers"))).as("container dirs left").isEmpty();
  }

  @Test
  void theNextEngineRemovesWhatADeadJvmsContainerWroteAsAnotherUser() throws Exception {
    Path store = userStore("hold");
    Process holder = start("hold", store.toString(), BUSYBOX);
    String line;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
        StandardCharsets.UTF_8))) {
      line = out.readLine();
    }
    Matcher m = Pattern.compile("pid=(\\d+) dir=(\\w+)").matcher(String.valueOf(line));
    if (!m.matches()) {
      holder.destroyForcibly();
      throw new AssertionError("The child JVM printed " + line + "; stderr: "
          + new String(holder.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    Path dir = store.resolve("containers").resolve(m.group(2));
    Path written = dir.resolve("upper/tmp/by-1000");
    assertThat(Files.getAttribute(written, "unix:uid")).as("owner of %s", written).isNotEqualTo(
        Files.getAttribute(dir, "unix:uid"));

    holder.destroyForcibly();
    assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Path proc = Path.of("/proc", m.group(1));
    long killedAt = System.nanoTime();
    while (Files.exists(proc) && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(1)) {
      Thread.sleep(5);
    }
    assertThat(proc).as("the container's PID 1, 1 s after its JVM was killed").doesNotExist();
    while (!processesOf(USER).isEmpty() && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(5)) {
      Thread.sleep(20);
    }
    assertThat(processesOf(USER)).as("processes of %s 5 s after its JVM was killed (the user namespace's and the"
        + " network's holders included)", USER).isEmpty();
    assertThat(dir).isDirectory();

    ChildResult next = child("open", store.toString());
    assertThat(next.status).as("stderr: %s", next.stderr).isZero();
    assertThat(dir).doesNotExist();
  }

  @Test
  void aHostThatForbidsUserNamespacesGetsAnErrorNamingTheSetting() throws Exception {
    Path runsFile = work.resolve("forbidden.json");
    JSON.writeValue(runsFile.toFile(), List.of(runs().get(0)));
    // The child JVM runs in a user namespace (ids 0-65535 as on the host) whose user.max_user_namespaces is 0.
    Process p = new ProcessBuilder(command(List.of("unshare", "--user", "sh", "-c",
        // sh execs itself once mapped: capabilities come with an execve as root of the namespace.
        "read maps && exec sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec \"$@\"' sh \"$@\"", "sh"),
        "run",
        userStore("forbidden").toString(), runsFile.toString())).directory(work.toFile()).start();
    Path ns = Path.of("/proc", Long.toString(p.pid()), "ns/user");
    while (Files.readSymbolicLink(ns).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/user")))) {
      Thread.sleep(1); // unshare has not unshared yet
    }
    for (String map : List.of("uid_map", "gid_map")) {
      Files.writeString(Path.of("/proc", Long.toString(p.pid()), map), "0 0 65536\n");
    }
    p.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    ChildResult child = finish(p);
    assertThat(child.status).as("stdout: %s", child.stdout).isNotZero();
    assertThat(child.stderr).contains("ContainerException", "clone3 user namespace failed",
        "user.max_user_namespaces=0", "sudo sysctl user.max_user_namespaces=15000");
  }

  private static Path userStore(String name) throws Exception {
    Path store = Files.createDirectories(work.resolve(name));
    assertThat(new ProcessBuilder("chown", USER + ":", store.toString()).start().waitFor()).isZero();
    return store;
  }

  record ChildResult(int status, String stdout, String stderr) {}

  private static ChildResult child(String... args) throws Exception {
    return finish(start(args));
  }

  private static ChildResult finish(Process p) throws Exception {
    var stderr = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    });
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new ChildResult(p.exitValue(), stdout, stderr.get());
  }

  private static Process start(String... args) throws IOException {
    return new ProcessBuilder(command(List.of(), args)).directory(work.toFile()).start();
  }

  /** {@code prefix}, then a JVM running {@link RootlessChild} as the test user with {@code args}. */
  private static List<String> command(List<String> prefix, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups", "--reset-env", "env",
        "LC_ALL=C.UTF-8", "HOME=" + work, java, "-cp", classPath, RootlessChild.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  private static List<String> processesOf(String user) throws Exception {
    Process p = new ProcessBuilder("pgrep", "-a", "-u", user).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.lines().toList();
  }
}
