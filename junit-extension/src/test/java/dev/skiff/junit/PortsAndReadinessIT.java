package dev.skiff.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.runtime.Container;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Published ports and readiness declared on the annotation, as users write them. */
class PortsAndReadinessIT {

  @Image(value = "redis:7.0", ports = 6379)
  static class RedisOnAPort {
    static String answer;

    @Test
    void ping(Container redis) throws IOException {
      answer = PortsAndReadinessIT.ping(redis.host(), redis.mappedPort(6379)); // no retry: the default wait made it ready
    }
  }

  @Test
  void aDeclaredPortIsPublishedAndListeningBeforeTheTestRuns() {
    Samples.run(RedisOnAPort.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    assertThat(RedisOnAPort.answer).isEqualTo("+PONG");
  }

  @Image(value = "redis:7.0", ports = 6379, waitFor = {"ports", "log:Ready to accept connections"})
  static class RedisWithLogWait {
    static String answer;

    @Test
    void ping(Container redis) throws IOException {
      answer = PortsAndReadinessIT.ping(redis.host(), redis.mappedPort(6379));
    }
  }

  @Test
  void severalWaitEntriesMustAllHold() {
    Samples.run(RedisWithLogWait.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    assertThat(RedisWithLogWait.answer).isEqualTo("+PONG");
  }

  @Image(value = "busybox:1.35", command = {"sh", "-c", "echo starting; sleep 300"},
      waitFor = "log:never printed", startupTimeoutSeconds = 2)
  static class NeverReady {
    @Test void t() {}
  }

  @Test
  void aContainerThatNeverBecomesReadyFailsWithWhatWasAwaitedAndItsLogs() {
    assertThat(MisconfigurationIT.failures(NeverReady.class)).singleElement().asString()
        .contains(NeverReady.class.getName())
        .contains("never printed")
        .contains("starting");
  }

  @Image(value = "busybox:1.35", waitFor = "http:/health")
  static class HttpWithoutPorts {
    @Test void t() {}
  }

  @Test
  void aWaitEntryThatCannotWorkIsAConfigurationError() {
    assertThat(MisconfigurationIT.failures(HttpWithoutPorts.class)).singleElement().asString()
        .contains("@Image(value = \"busybox:1.35\", waitFor = {\"http:/health\"}) on " + HttpWithoutPorts.class.getName())
        .contains("waitFor entry 'http:/health' cannot be used")
        .contains("add ports = {...}");
  }

  @Image(value = "busybox:1.35", waitFor = "tcp")
  static class UnknownWait {
    @Test void t() {}
  }

  @Test
  void anUnknownWaitEntryListsTheNotation() {
    assertThat(MisconfigurationIT.failures(UnknownWait.class)).singleElement().asString()
        .contains("waitFor entry 'tcp' cannot be used: it is none of \"ports\", \"log:REGEX\"");
  }

  static String ping(String host, int port) throws IOException {
    try (Socket s = new Socket(host, port)) {
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\r') {
        line.append((char) c);
      }
      return line.toString();
    }
  }
}
