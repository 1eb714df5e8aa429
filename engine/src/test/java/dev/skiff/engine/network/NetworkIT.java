package dev.skiff.engine.network;

import static dev.skiff.engine.testing.TestEnvironment.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import dev.skiff.engine.testing.EngineIT;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Containers in networks reach each other by name and alias, and nothing else; networks leave nothing behind. */
class NetworkIT extends EngineIT {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final String BUSYBOX = image("library/busybox:1.35");
  static final String REDIS = image("library/redis:7.0");

  static ContainerSpec.Builder busybox(String script) {
    return ContainerSpec.builder(BUSYBOX).command("sh", "-c", script);
  }

  /** busybox httpd on port 8080 answering {@code answer}, after printing its own /etc/hosts line. */
  static ContainerSpec.Builder httpd(String name, String answer) {
    return busybox("grep -w " + name + " /etc/hosts; mkdir /www && echo " + answer + " > /www/index.html"
        + " && exec httpd -f -p 8080 -h /www").name(name);
  }

  /**
   * Prints the body of http://HOST:8080/ once it answers (the server may still be starting), trying for 10 s; with
   * nc, as this busybox's wget crashes.
   */
  static String fetch(String host) {
    return "for i in $(seq 100); do r=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 1 " + host + " 8080 | tail -n 1)"
        + " && [ -n \"$r\" ] && echo \"$r\" && exit 0; sleep 0.1; done; exit 1";
  }

  static String run(ContainerSpec spec) throws Exception {
    try (Container c = engine.run(spec)) {
      int code = c.waitFor(TIMEOUT);
      assertThat(code).as("exit code of %s; stderr: %s", c, c.logs().stderr()).isZero();
      return c.logs().stdout();
    }
  }

  @Test
  void clientReachesRedisByAlias() throws Exception {
    try (Network network = engine.createNetwork("redis-net");
        Container redis = engine.run(ContainerSpec.builder(REDIS).network(network, "cache").build())) {
      String out = run(busybox("for i in $(seq 100); do r=$(printf 'PING\\r\\n' | nc -w 1 cache 6379)"
          + " && [ -n \"$r\" ] && echo \"$r\" && exit 0; sleep 0.1; done; exit 1").network(network).build());
      assertThat(out).isEqualTo("+PONG\r\n");
    }
  }

  @Test
  void membersReachEachOtherByContainerName() throws Exception {
    try (Network network = engine.createNetwork("by-name");
        Container server = engine.run(httpd("server", "by-name").network(network).build())) {
      assertThat(run(busybox(fetch("server")).network(network).build())).isEqualTo("by-name\n");
    }
  }

  @Test
  void containerInTwoNetworksReachesMembersOfBoth() throws Exception {
    try (Network a = engine.createNetwork("a");
        Network b = engine.createNetwork("b");
        Container serverA = engine.run(httpd("server-a", "from-a").network(a, "alpha").build());
        Container serverB = engine.run(httpd("server-b", "from-b").network(b, "beta").build())) {
      assertThat(a.subnet()).isNotEqualTo(b.subnet());
      String out = run(busybox("(" + fetch("alpha") + ") && (" + fetch("beta") + ")")
          .network(a).network(b).build());
      assertThat(out).contains("from-a\n", "from-b\n");
    }
  }

  @Test
  void aMemberAddedLaterIsResolvableByEarlierOnes() throws Exception {
    try (Network network = engine.createNetwork("later");
        Container early = engine.run(busybox("until grep -qw late /etc/hosts; do sleep 0.05; done; " + fetch("late"))
            .network(network).build())) {
      assertThat(early.isRunning()).isTrue();
      try (Container late = engine.run(httpd("late", "I-am-late").network(network).build())) {
        assertThat(early.waitFor(TIMEOUT)).as("stderr: %s", early.logs().stderr()).isZero();
        assertThat(early.logs().stdout()).isEqualTo("I-am-late\n");
      }
    }
  }

  @Test
  void aRemovedMemberDisappearsFromTheOthersHostsFiles() throws Exception {
    try (Network network = engine.createNetwork("removal");
        Container gone = engine.run(busybox("sleep 1000").name("gone").network(network, "departed").build());
        Container watcher = engine.run(busybox("grep -w departed /etc/hosts && echo SEEN;"
            + " while grep -qw departed /etc/hosts; do sleep 0.05; done; echo GONE; cat /etc/hosts")
            .network(network).build())) {
      Awaitility.await().atMost(TIMEOUT).until(() -> watcher.logs().stdout().contains("SEEN"));
      gone.remove();
      assertThat(watcher.waitFor(TIMEOUT)).isZero();
      String out = watcher.logs().stdout();
      assertThat(out).contains("GONE").containsPattern("\tgone departed\t");
      assertThat(out.substring(out.indexOf("GONE"))).doesNotContain("gone").contains("127.0.0.1\tlocalhost");
    }
  }

  @Test
  void containersOfDifferentNetworksCannotReachEachOther() throws Exception {
    try (Network a = engine.createNetwork("isolated-a");
        Network b = engine.createNetwork("isolated-b");
        Container server = engine.run(httpd("walled", "secret").network(a).build())) {
      Awaitility.await().atMost(TIMEOUT).until(() -> !server.logs().stdout().isEmpty());
      String address = server.logs().stdout().split("\t")[0];
      assertThat(address).matches("10\\.\\d+\\.\\d+\\.\\d+");
      // From the other network: the name is unknown and the address unroutable, failing at once.
      String out = run(busybox("nc -w 2 walled 8080 </dev/null; echo name=$?;"
          + " start=$(date +%s); nc -w 5 " + address + " 8080 </dev/null; echo address=$? $(( $(date +%s) - start ))")
          .network(b).build());
      assertThat(out).contains("name=1").containsPattern("address=1 [01]\n").doesNotContain("secret");
      // From the same network it is reachable: the failure above is the isolation, not the server.
      assertThat(run(busybox(fetch(address)).network(a).build())).isEqualTo("secret\n");
    }
  }

  @Test
  void aMembersOnlyRouteIsItsNetworksSubnet() throws Exception {
    try (Network network = engine.createNetwork("routes")) {
      String routes = run(busybox("cat /proc/net/route").network(network).build());
      List<String> lines = routes.lines().skip(1).toList();
      assertThat(lines).hasSize(1);
      String[] route = lines.get(0).split("\\s+");
      assertThat(route[0]).isEqualTo("eth0");
      assertThat(route[1]).as("destination").isNotEqualTo("00000000");
      String subnet = network.subnet().replace("/24", "");
      String[] o = subnet.split("\\.");
      // /proc/net/route shows the destination in host (little-endian) byte order
      assertThat(route[1]).isEqualToIgnoringCase(String.format("%02X%02X%02X%02X", Integer.parseInt(o[3]),
          Integer.parseInt(o[2]), Integer.parseInt(o[1]), Integer.parseInt(o[0])));
    }
  }

  @Test
  void joiningAClosedNetworkFails() throws Exception {
    Network network = engine.createNetwork("closed");
    network.close();
    assertThatThrownBy(() -> engine.create(busybox("true").network(network).build()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Network closed is closed");
  }

  @Test
  void closingTheNetworkLeavesNoHolderNorNamespace() throws Exception {
    List<ProcessHandle> before = holders(ProcessHandle.current().pid());
    Network network = engine.createNetwork("closing");
    List<ProcessHandle> after = new java.util.ArrayList<>(holders(ProcessHandle.current().pid()));
    after.removeAll(before);
    assertThat(after).as("the new network's holder").hasSize(1);
    ProcessHandle holder = after.get(0);
    String namespace = Files.readSymbolicLink(Path.of("/proc/" + holder.pid() + "/ns/net")).toString();
    try (Container member = engine.run(busybox("sleep 1000").network(network).build())) {
      network.close();
      assertThat(holder.isAlive()).isFalse();
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !namespaceInUse(namespace));
    }
  }

  @Test
  void aNetworkDiesWithItsJvm() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ChildJvmNetwork.class.getName(), store.toString(), BUSYBOX)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("ready");
    }
    List<ProcessHandle> holders = holders(child.pid());
    assertThat(holders).hasSize(1);
    String namespace = Files.readSymbolicLink(Path.of("/proc/" + holders.get(0).pid() + "/ns/net")).toString();
    child.destroyForcibly();
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long holder = holders.get(0).pid();
    // Its control socket's EOF ends it; a zombie not yet reaped by PID 1 holds no namespace any more.
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .alias("network holder " + holder + " exits after its JVM was killed")
        .until(() -> state(holder).matches("gone|Z"));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !namespaceInUse(namespace));
  }

  /** A process's state letter from /proc/PID/stat, or "gone". */
  static String state(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    } catch (IOException e) {
      return "gone";
    }
  }

  /** The network holders (launchers in network mode) that {@code parent} started. */
  static List<ProcessHandle> holders(long parent) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.parent().map(pp -> pp.pid() == parent).orElse(false))
        .filter(p -> p.info().arguments().map(a -> a.length >= 2 && a[0].equals("network")).orElse(false))
        .toList();
  }

  /** Whether any process still lives in the namespace {@code net:[INODE]}, or a mount holds it. */
  static boolean namespaceInUse(String namespace) throws IOException {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      boolean used = procs.filter(p -> p.getFileName().toString().matches("\\d+")).anyMatch(p -> {
        try {
          return Files.readSymbolicLink(p.resolve("ns/net")).toString().equals(namespace);
        } catch (IOException e) {
          return false; // gone meanwhile
        }
      });
      Matcher inode = Pattern.compile("\\[(\\d+)]").matcher(namespace);
      return used || (inode.find() && Files.readString(Path.of("/proc/self/mountinfo"))
          .contains("net:[" + inode.group(1) + "]"));
    }
  }
}
