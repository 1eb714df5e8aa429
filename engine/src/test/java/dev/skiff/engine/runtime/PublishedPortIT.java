package dev.skiff.engine.runtime;

import static dev.skiff.engine.testing.TestEnvironment.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.engine.testing.EngineIT;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Published ports, host access and the absence of egress, with real containers, as root. */
class PublishedPortIT extends EngineIT {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final String BUSYBOX = image("library/busybox:1.35");
  static final String REDIS = image("library/redis:7.0");
  static final String NODE = image("library/node:20");

  static ContainerSpec.Builder busybox(String... command) {
    return ContainerSpec.builder(BUSYBOX).command(command);
  }

  /** busybox httpd on port 8080 serving {@code answer}. */
  static ContainerSpec.Builder httpd(String answer) {
    return busybox("sh", "-c", "mkdir /www && echo " + answer + " > /www/index.html && exec httpd -f -p 8080 -h /www");
  }

  @Test
  void redisAnswersPingThroughItsMappedPort() throws Exception {
    try (Container redis = engine.run(ContainerSpec.builder(REDIS).publishImageExposedPorts().build())) {
      assertThat(redis.host()).isEqualTo("127.0.0.1");
      int port = redis.mappedPort(6379);
      assertThat(redis.publishedPorts()).isEqualTo(Map.of(PortBinding.tcp(6379), port));
      String answer = await().atMost(TIMEOUT).ignoreExceptions()
          .until(() -> exchange(redis.host(), port, "PING\r\n", "\r\n"), a -> !a.isEmpty());
      assertThat(answer).isEqualTo("+PONG\r\n");
    }
  }

  @Test
  void tenContainersPublishTheSamePortEachOnItsOwnHostPort() throws Exception {
    List<Container> containers = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(20);
    try {
      for (int i = 0; i < 10; i++) {
        containers.add(engine.run(httpd("answer-" + i).exposedPorts(8080).build()));
      }
      assertThat(containers.stream().map(c -> c.mappedPort(8080)).distinct()).hasSize(10);
      List<Future<String>> answers = new ArrayList<>();
      for (int round = 0; round < 5; round++) { // 50 connections at once, 5 per container
        for (Container c : containers) {
          answers.add(clients.submit(() -> httpGet(c.mappedPort(8080))));
        }
      }
      for (int i = 0; i < answers.size(); i++) {
        assertThat(answers.get(i).get()).isEqualTo("answer-" + (i % 10) + "\n");
      }
    } finally {
      clients.shutdownNow();
      for (Container c : containers) {
        c.remove();
      }
    }
  }

  @Test
  void udpDatagramsAreEchoedThroughAPublishedPort() throws Exception {
    String echo = "const s = require('dgram').createSocket('udp4');"
        + "s.on('message', (m, r) => s.send(Buffer.concat([Buffer.from('echo:'), m]), r.port, r.address));"
        + "s.bind(5353, '0.0.0.0', () => console.log('bound'));";
    try (Container node = engine.run(ContainerSpec.builder(NODE).command("node", "-e", echo)
        .publish(PortBinding.udp(5353)).build());
        DatagramChannel client = DatagramChannel.open()) {
      awaitOutput(node, "bound");
      int port = node.mappedPort(5353, PortBinding.Protocol.UDP);
      assertThatThrownBy(() -> node.mappedPort(5353)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not publish 5353/tcp").hasMessageContaining("5353/udp");
      client.connect(new InetSocketAddress("127.0.0.1", port));
      client.write(ByteBuffer.wrap("one".getBytes(StandardCharsets.US_ASCII)));
      client.write(ByteBuffer.wrap("two".getBytes(StandardCharsets.US_ASCII)));
      client.socket().setSoTimeout(10_000);
      assertThat(receive(client)).isEqualTo("echo:one");
      assertThat(receive(client)).isEqualTo("echo:two");
    }
  }

  @Test
  void aFixedHostPortIsUsed() throws Exception {
    int free = freePort();
    try (Container c = engine.run(httpd("fixed").publish(PortBinding.tcp(8080).onHostPort(free)).build())) {
      assertThat(c.mappedPort(8080)).isEqualTo(free);
      assertThat(httpGet(free)).isEqualTo("fixed\n");
    }
  }

  @Test
  void aFixedHostPortInUseFailsNamingThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> engine.run(busybox("true").publish(PortBinding.tcp(80).onHostPort(port)).build()))
          .isInstanceOf(ContainerException.class)
          .hasMessageContaining("Host port " + port + " is already in use")
          .hasMessageContaining("onHostPort");
    }
  }

  @Test
  void aConnectionToAPortNobodyListensOnIsClosedAtOnce() throws Exception {
    try (Container c = engine.run(busybox("sleep", "1000").exposedPorts(8080).build());
        Socket s = new Socket("127.0.0.1", c.mappedPort(8080))) {
      s.setSoTimeout(10_000);
      try {
        assertThat(s.getInputStream().read()).isEqualTo(-1);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("The relay kept a connection to an unused container port open", e);
      } catch (IOException e) {
        assertThat(e).hasMessageContaining("reset");
      }
    }
  }

  @Test
  void thePortsAreRecordedInContainerJson() throws Exception {
    try (Container c = engine.run(busybox("sleep", "1000").exposedPorts(8080).publish(PortBinding.udp(53)).build())) {
      Path file = store.resolve("containers").resolve(c.shortId()).resolve("container.json");
      // written right after the start, off its path
      JsonNode json = await().atMost(Duration.ofSeconds(5))
          .until(() -> new ObjectMapper().readTree(file.toFile()), j -> j.has("ports"));
      assertThat(json.path("ports").toString()).isEqualTo("[{\"protocol\":\"tcp\",\"container\":8080,\"host\":"
          + c.mappedPort(8080) + "},{\"protocol\":\"udp\",\"container\":53,\"host\":"
          + c.mappedPort(53, PortBinding.Protocol.UDP) + "}]");
      assertThat(json.path("image").asText()).isEqualTo(BUSYBOX);
    }
  }

  @Test
  void removingTheContainerFreesItsHostPort() throws Exception {
    Container c = engine.run(busybox("sleep", "1000").exposedPorts(8080).build());
    int port = c.mappedPort(8080);
    c.remove();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void thereIsNoDefaultRouteAndOutsideAddressesAreUnreachable() throws Exception {
    try (Container c = engine.run(busybox("sh", "-c", "ip route; echo routes-end; nc 10.255.255.1 80").build())) {
      assertThat(c.waitFor(TIMEOUT)).isNotZero();
      assertThat(c.logs().stdout()).isEqualTo("routes-end\n");
      assertThat(c.logs().stderr()).contains("Network is unreachable");
    }
  }

  @Test
  void exposedHostPortsAndOnlyThoseAreReachableAsHostSkiffInternal() throws Exception {
    try (ServerSocket exposed = answering("hello from the host");
        ServerSocket hidden = answering("should stay hidden")) {
      String script = "nc host.skiff.internal " + exposed.getLocalPort() + "; echo \"rc=$?\";"
          + " nc host.skiff.internal " + hidden.getLocalPort() + "; echo \"rc=$?\"";
      try (Container c = engine.run(busybox("sh", "-c", script).exposeHostPorts(exposed.getLocalPort()).build())) {
        c.waitFor(TIMEOUT);
        assertThat(c.logs().stdout()).isEqualTo("hello from the host\nrc=0\nrc=1\n");
        assertThat(c.logs().stderr()).contains("Connection refused");
      }
      try (Container c = engine.run(busybox("sh", "-c", "nc host.skiff.internal " + exposed.getLocalPort()
          + "; echo \"rc=$?\"").build())) {
        c.waitFor(TIMEOUT);
        assertThat(c.logs().stdout()).isEqualTo("rc=1\n");
      }
    }
  }

  /** A server on the host's 127.0.0.1 that writes {@code text} and a newline to each connection, then closes it. */
  static ServerSocket answering(String text) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          s.getOutputStream().write((text + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          // closed
        }
      }
    });
    t.setDaemon(true);
    t.start();
    return server;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Sends {@code request} and reads until the reply ends with {@code end}, or EOF. */
  static String exchange(String host, int port, String request, String end) throws IOException {
    try (Socket s = new Socket(host, port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      StringBuilder reply = new StringBuilder();
      int b;
      while (!reply.toString().endsWith(end) && (b = in.read()) >= 0) {
        reply.append((char) b);
      }
      return reply.toString();
    }
  }

  /** The body of {@code GET /} on the host port, retried while the server is not up yet. */
  static String httpGet(int port) {
    String response = await().atMost(TIMEOUT).ignoreExceptions()
        .until(() -> {
          try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
          }
        }, r -> r.matches("(?s)HTTP/1\\.[01] 200 .*"));
    return response.substring(response.indexOf("\r\n\r\n") + 4);
  }

  static String receive(DatagramChannel channel) throws IOException {
    DatagramPacket packet = new DatagramPacket(new byte[100], 100);
    channel.socket().receive(packet);
    return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
  }

  static void awaitOutput(Container c, String text) {
    await().atMost(TIMEOUT).until(() -> c.logs().stdout().contains(text) || !c.isRunning());
    assertThat(c.logs().stdout()).contains(text);
  }
}
