package dev.skiff.engine.wait;

import static dev.skiff.engine.testing.TestEnvironment.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import dev.skiff.engine.testing.EngineIT;
import dev.skiff.engine.testing.TestEnvironment;
import dev.skiff.engine.testing.TestImagePusher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wait strategies against real containers from the test registry. */
class WaitStrategyIT extends EngineIT {
  static final String BUSYBOX = image("library/busybox:1.35");
  static final String REDIS = image("library/redis:7.0");
  static final Duration SHORT = Duration.ofMillis(700);

  static ContainerSpec.Builder busybox(String script) {
    return ContainerSpec.builder(BUSYBOX).command("sh", "-c", script);
  }

  @Test
  void logMessageCountsLinesOfBothStreamsFromTheStart() throws Exception {
    // The first "ready" comes before the wait begins; the third only on stderr, after a while.
    ContainerSpec spec = busybox("echo ready; echo other; sleep 0.3; echo ready; sleep 0.3; echo 'ready!' >&2;"
        + " exec sleep 600").waitingFor(Wait.forLogMessage("^ready", 3)).build();
    try (Container c = engine.run(spec)) {
      assertThat(c.isRunning()).isTrue();
      assertThat(c.logs().stdout()).isEqualTo("ready\nother\nready\n");
      assertThat(c.logs().stderr()).isEqualTo("ready!\n");
    }
  }

  @Test
  void aLogLineThatNeverComesFailsAtTheTimeoutSayingWhatWasSeen() {
    ContainerSpec spec = busybox("echo starting; echo warming up >&2; echo starting; exec sleep 600")
        .waitingFor(Wait.forLogMessage("start", 3).withStartupTimeout(SHORT)).build();
    assertThatThrownBy(() -> engine.run(spec))
        .isInstanceOfSatisfying(ContainerNotReadyException.class, e -> {
          assertThat(e.exitCode()).isEmpty();
          assertThat(e.awaited()).isEqualTo("a log line matching 'start' 3 times");
          assertThat(e.waited()).isGreaterThanOrEqualTo(SHORT);
        })
        .hasMessageContaining("for a log line matching 'start' 3 times; ")
        .hasMessageContaining("the 700 ms timeout passed (last check: seen 2 times)")
        .hasMessageContaining("It is still running.")
        .hasMessageContaining("stdout:\nstarting\nstarting")
        .hasMessageContaining("stderr:\nwarming up");
  }

  @Test
  void theSpecsStartupTimeoutAppliesToAStrategyWithoutItsOwn() {
    ContainerSpec spec = busybox("exec sleep 600").waitingFor(Wait.forLogMessage("never", 1))
        .startupTimeout(Duration.ofMillis(300)).build();
    assertThatThrownBy(() -> engine.run(spec))
        .isInstanceOf(ContainerNotReadyException.class)
        .hasMessageContaining("the 300 ms timeout passed")
        .hasMessageContaining("It printed nothing.");
  }

  @Test
  void aContainerExitingWhileWaitingFailsAtOnceWithItsExitCodeAndOutput() {
    ContainerSpec spec = busybox("echo booting; sleep 0.2; echo 'fatal: no config' >&2; exit 3")
        .waitingFor(Wait.forLogMessage("ready", 1)).startupTimeout(Duration.ofMinutes(10)).build();
    assertThatThrownBy(() -> engine.run(spec))
        .isInstanceOfSatisfying(ContainerNotReadyException.class, e -> {
          assertThat(e.exitCode()).hasValue(3);
          assertThat(e.waited()).isLessThan(Duration.ofMinutes(10));
        })
        .hasMessageContaining("the container exited while waiting (last check: seen 0 times)")
        .hasMessageNotContaining("timeout passed")
        .hasMessageContaining("It exited with code 3.")
        .hasMessageContaining("stdout:\nbooting")
        .hasMessageContaining("stderr:\nfatal: no config");
  }

  @Test
  void theMessageQuotesTheLast50LinesOfEachStream() {
    ContainerSpec spec = busybox("seq 1 200 | sed 's/^/line /'; exec sleep 600")
        .waitingFor(Wait.forLogMessage("never", 1).withStartupTimeout(Duration.ofMillis(500))).build();
    assertThatThrownBy(() -> engine.run(spec))
        .isInstanceOf(ContainerNotReadyException.class)
        .satisfies(e -> {
          String tail = e.getMessage().substring(e.getMessage().indexOf("stdout:\n") + "stdout:\n".length());
          assertThat(tail.split("\n")).hasSize(50).startsWith("line 151").endsWith("line 200");
        });
  }

  @Test
  void listeningPortsAreSeenInsideTheContainer() throws Exception {
    ContainerSpec spec = busybox("sleep 0.3; httpd -p 8080; httpd -p 127.0.0.1:8081; httpd -p [::]:8082; exec sleep 600")
        .waitingFor(Wait.forListeningPorts(8080, 8081, 8082)).build();
    try (Container c = engine.run(spec)) {
      Path procNet = Path.of("/proc", Long.toString(c.pid()), "net");
      assertThat(ListeningPortWaitStrategy.listeningPorts(procNet)).contains(8080, 8081, 8082);
    }
  }

  /** A host listener on the same port number is in another network namespace: it must not count. */
  @Test
  void aPortNeverOpenedFailsEvenWhenTheHostListensOnIt() throws Exception {
    try (ServerSocket host = new ServerSocket()) {
      host.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = host.getLocalPort();
      ContainerSpec spec = busybox("httpd -p 8080; exec sleep 600")
          .waitingFor(Wait.forListeningPorts(8080, port).withStartupTimeout(SHORT)).build();
      assertThatThrownBy(() -> engine.run(spec))
          .isInstanceOf(ContainerNotReadyException.class)
          .hasMessageContaining("for TCP ports [8080, " + port + "] listening inside the container;")
          .hasMessageContaining("(last check: not listening: [" + port + "], listening: [8080])")
          .hasMessageContaining("It is still running.");
    }
  }

  @Test
  void redisAnswersPingOnceItsPortListensAndItSaysSo() throws Exception {
    ContainerSpec spec = ContainerSpec.builder(REDIS).exposedPorts(6379)
        .waitingFor(Wait.allOf(Wait.forListeningPort(), Wait.forLogMessage("Ready to accept connections", 1)))
        .build();
    try (Container c = engine.run(spec);
        Socket redis = new Socket(c.host(), c.mappedPort(6379))) {
      assertThat(c.logs().stdout()).contains("Ready to accept connections");
      redis.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(redis.getInputStream().readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
    }
  }

  @Test
  void allOfFailsWithTheFirstStrategyThatIsNotReady() {
    ContainerSpec spec = busybox("echo ready; exec sleep 600")
        .waitingFor(Wait.allOf(Wait.forLogMessage("ready", 1), Wait.forListeningPorts(9999))
            .withStartupTimeout(SHORT))
        .build();
    assertThatThrownBy(() -> engine.run(spec))
        .isInstanceOfSatisfying(ContainerNotReadyException.class,
            e -> assertThat(e.awaited()).isEqualTo("TCP port [9999] listening inside the container"))
        .hasMessageContaining("timeout passed");
  }

  @Test
  void allOfsTimeoutBoundsStrategiesWithoutTheirOwn() {
    ContainerSpec spec = busybox("exec sleep 600")
        .waitingFor(Wait.allOf(Wait.forLogMessage("never", 1)).withStartupTimeout(Duration.ofMillis(400)))
        .startupTimeout(Duration.ofMinutes(10)).build();
    assertThatThrownBy(() -> engine.run(spec))
        .isInstanceOfSatisfying(ContainerNotReadyException.class, e -> {
          assertThat(e.exitCode()).isEmpty();
          assertThat(e.waited()).isLessThan(Duration.ofMinutes(1));
        });
  }

  @Test
  void aCallersOwnStrategyRunsOnStart() throws Exception {
    List<Container> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ContainerSpec spec = busybox("exec sleep 600").waitingFor(seen::add).build();
    try (Container c = engine.run(spec)) {
      assertThat(seen).containsExactly(c);
    }
  }

  @Test
  void engineRunReplacesAContainerThatDidNotBecomeReady(@TempDir Path state) throws Exception {
    // Only the second container finds the mark the first one left, and says it is ready.
    ContainerSpec spec = busybox("if [ -e /state/tried ]; then echo ready; else touch /state/tried; fi; exec sleep 600")
        .mount(ContainerSpec.Mount.bind(state, "/state"))
        .waitingFor(Wait.forLogMessage("ready", 1).withStartupTimeout(Duration.ofMillis(500)))
        .startupAttempts(2).build();
    try (Container c = engine.run(spec)) {
      assertThat(c.logs().stdout()).isEqualTo("ready\n");
      assertThat(containerDirs()).hasSize(1);
    }
  }

  @Test
  void engineRunGivesUpAfterTheLastAttemptKeepingEveryFailure() throws Exception {
    ContainerSpec spec = busybox("echo attempt; exit 3").waitingFor(Wait.forLogMessage("ready", 1))
        .startupAttempts(3).build();
    assertThatThrownBy(() -> engine.run(spec))
        .isInstanceOfSatisfying(ContainerNotReadyException.class, e -> {
          assertThat(e.exitCode()).hasValue(3);
          assertThat(e.getSuppressed()).hasSize(2).allSatisfy(earlier -> assertThat(earlier)
              .isInstanceOf(ContainerNotReadyException.class).hasMessageContaining("It exited with code 3."));
        });
    assertThat(containerDirs()).isEmpty();
  }

  @Test
  void httpWaitsForTheServerBehindThePublishedPortNotForTheHostSide() throws Exception {
    // The host side of the published port accepts connections from the start; the server comes 0.5 s later.
    ContainerSpec spec = busybox("mkdir /www; echo hello > /www/index.html; sleep 0.5; exec httpd -f -p 8080 -h /www")
        .exposedPorts(8080)
        .waitingFor(Wait.forHttp("/index.html").forResponsePredicate(body -> body.equals("hello\n")))
        .build();
    try (Container c = engine.run(spec)) {
      assertThat(ListeningPortWaitStrategy.listeningPorts(Path.of("/proc", Long.toString(c.pid()), "net")))
          .contains(8080);
    }
  }

  @Test
  void httpFailsWithTheLastStatusAndAcceptsTheStatusItIsTold() throws Exception {
    ContainerSpec.Builder spec = busybox("mkdir /www; exec httpd -f -p 8080 -h /www").exposedPorts(8080);
    assertThatThrownBy(() -> engine.run(spec.waitingFor(Wait.forHttp("/missing").withStartupTimeout(SHORT)).build()))
        .isInstanceOf(ContainerNotReadyException.class)
        .hasMessageContaining("for HTTP GET http://127.0.0.1:")
        .hasMessageContaining("/missing (container port 8080) answering status 200;")
        .hasMessageContaining("(last check: status 404)");
    try (Container c = engine.run(spec.waitingFor(Wait.forHttp("missing").forStatusCode(404)).build())) {
      assertThat(c.isRunning()).isTrue();
    }
    try (Container c = engine.run(spec.waitingFor(Wait.forHttp("/missing").forStatusCodeMatching(s -> s >= 400))
        .build())) {
      assertThat(c.isRunning()).isTrue();
    }
  }

  @Test
  void httpsWithASelfSignedCertificateNeedsAllowInsecure(@TempDir Path tls) throws Exception {
    Path certs = Path.of(TestEnvironment.property("token.cert")).getParent();
    Files.copy(certs.resolve("cert.pem"), tls.resolve("cert.pem"));
    Files.copy(certs.resolve("key.pem"), tls.resolve("key.pem"));
    ContainerSpec.Builder spec = ContainerSpec.builder(image("library/node:20"))
        .mount(ContainerSpec.Mount.bindReadOnly(tls, "/tls"))
        .command("node", "-e", "const fs = require('fs'); require('https').createServer({key:"
            + " fs.readFileSync('/tls/key.pem'), cert: fs.readFileSync('/tls/cert.pem')}, (q, r) => r.end('secure'))"
            + ".listen(8443)")
        .exposedPorts(8443);
    assertThatThrownBy(() -> engine.run(spec.waitingFor(Wait.forHttp("/").usingTls().withStartupTimeout(
        Duration.ofSeconds(3))).build()))
        .isInstanceOf(ContainerNotReadyException.class)
        .hasMessageContaining("https://127.0.0.1:")
        .hasMessageContaining("SSLHandshakeException");
    try (Container c = engine.run(spec.waitingFor(Wait.forHttp("/").usingTls().allowInsecure()
        .forResponsePredicate("secure"::equals)).build())) {
      assertThat(c.isRunning()).isTrue();
    }
  }

  @Test
  void forListeningPortWaitsForEveryPublishedPort() throws Exception {
    ContainerSpec.Builder spec = busybox("httpd -p 8080; sleep 0.3; httpd -p 8081; exec sleep 600")
        .exposedPorts(8080, 8081);
    try (Container c = engine.run(spec.waitingFor(Wait.forListeningPort()).build())) {
      assertThat(ListeningPortWaitStrategy.listeningPorts(Path.of("/proc", Long.toString(c.pid()), "net")))
          .contains(8080, 8081);
    }
    assertThatThrownBy(() -> engine.run(busybox("exec sleep 600").waitingFor(Wait.forListeningPort()).build()))
        .isInstanceOf(ContainerNotReadyException.class)
        .hasMessageContaining("it publishes no TCP port");
  }

  @Test
  void aCommandSucceedingInsideTheContainer() throws Exception {
    ContainerSpec spec = busybox("sleep 0.5; touch /tmp/ready; exec sleep 600")
        .waitingFor(Wait.forSuccessfulCommand("test", "-e", "/tmp/ready")).build();
    try (Container c = engine.run(spec)) {
      assertThat(c.exec("ls", "/tmp").stdout()).contains("ready");
    }
  }

  @Test
  void aCommandThatKeepsFailingIsQuotedWithItsExitCodeAndOutput() {
    ContainerSpec spec = busybox("exec sleep 600")
        .waitingFor(Wait.forSuccessfulCommand("sh", "-c", "echo not yet >&2; exit 7").withStartupTimeout(SHORT))
        .build();
    assertThatThrownBy(() -> engine.run(spec))
        .isInstanceOf(ContainerNotReadyException.class)
        .hasMessageContaining("for the command [sh, -c, echo not yet >&2; exit 7] to succeed inside the container;")
        .hasMessageContaining("(last check: exit code 7, output: not yet)");
  }

  static String busyboxWithHealthcheck(String tag, List<String> test, Duration interval, int retries) {
    return new TestImagePusher(TestEnvironment.registry()).pushWithEditedConfig("library/busybox", "1.35", tag,
        config -> {
          ObjectNode h = config.putObject("Healthcheck");
          test.forEach(h.putArray("Test")::add);
          h.put("Interval", interval.toNanos()).put("Timeout", Duration.ofSeconds(5).toNanos()).put("Retries", retries);
        });
  }

  @Test
  void theImagesHealthcheckPasses() throws Exception {
    String image = busyboxWithHealthcheck("1.35-healthcheck", List.of("CMD-SHELL", "test -e /tmp/healthy"),
        Duration.ofMillis(100), 100);
    ContainerSpec spec = ContainerSpec.builder(image).command("sh", "-c", "sleep 0.5; touch /tmp/healthy; exec sleep 600")
        .waitingFor(Wait.forHealthcheck()).build();
    try (Container c = engine.run(spec)) {
      assertThat(c.exec("ls", "/tmp").stdout()).contains("healthy");
    }
  }

  @Test
  void anUnhealthyContainerFailsAfterItsRetriesNotAtTheTimeout() {
    String image = busyboxWithHealthcheck("1.35-unhealthy", List.of("CMD", "sh", "-c", "echo sick; exit 1"),
        Duration.ofMillis(100), 3);
    ContainerSpec spec = ContainerSpec.builder(image).command("sleep", "600").waitingFor(Wait.forHealthcheck())
        .startupTimeout(Duration.ofMinutes(10)).build();
    assertThatThrownBy(() -> engine.run(spec))
        .isInstanceOfSatisfying(ContainerNotReadyException.class, e -> assertThat(e.exitCode()).isEmpty())
        .hasMessageContaining("for the image's HEALTHCHECK [sh, -c, echo sick; exit 1] (every 100 ms, timeout 5 s,"
            + " 3 retries) to pass")
        .hasMessageContaining("the container is unhealthy: 3 checks failed in a row (last: exit code 1, output: sick)")
        .hasMessageNotContaining("timeout passed")
        .hasMessageContaining("It is still running.");
  }

  @Test
  void anImageWithoutARunnableHealthcheckIsRefusedAtOnce() {
    String none = busyboxWithHealthcheck("1.35-nohealthcheck", List.of("NONE"), Duration.ZERO, 0);
    assertThatThrownBy(() -> engine.run(ContainerSpec.builder(none).command("sleep", "600")
        .waitingFor(Wait.forHealthcheck()).build()))
        .isInstanceOf(ContainerNotReadyException.class)
        .hasMessageContaining(none + " disables its HEALTHCHECK (NONE)");
    assertThatThrownBy(() -> engine.run(busybox("exec sleep 600").waitingFor(Wait.forHealthcheck()).build()))
        .isInstanceOf(ContainerNotReadyException.class)
        .hasMessageContaining(BUSYBOX + " has no HEALTHCHECK");
  }

  static List<Path> containerDirs() throws IOException {
    try (Stream<Path> dirs = Files.list(store.resolve("containers"))) {
      return dirs.toList();
    }
  }
}
