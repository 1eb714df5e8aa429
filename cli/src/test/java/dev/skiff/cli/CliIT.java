package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", "target/skiff.jar"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("SKIFF_STORE", store.toString());
    Path err = Files.createTempFile(store.getParent(), "err", ".txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    return new Result(p.exitValue(), out, Files.readString(err));
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
  void runPublishesAPortOnTheGivenHostPort() throws Exception {
    int hostPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      hostPort = free.getLocalPort();
    }
    Path output = Files.createTempFile(store.getParent(), "run-p", ".txt");
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
}
