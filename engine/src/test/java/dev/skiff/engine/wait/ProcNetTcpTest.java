package dev.skiff.engine.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcNetTcpTest {
  static final String TCP_HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid"
      + "  timeout inode\n";
  static final String TCP6_HEADER = "  sl  local_address                         remote_address                    "
      + "    st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

  @Test
  void listenSocketsOnAnyAddressCountOthersDoNot() {
    String table = TCP_HEADER
        // 0.0.0.0:6379 LISTEN
        + "   0: 00000000:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000   999        0 4711 1 0 100 0 0"
        + " 10 0\n"
        // 127.0.0.1:8080 LISTEN
        + "   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4712 1 0 100 0 0"
        + " 10 0\n"
        // 127.0.0.1:5432 ESTABLISHED to 127.0.0.1:40000: a connected socket, not a listener
        + "   2: 0100007F:1538 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 4713 1 0 20 4 30"
        + " 10 -1\n"
        // 127.0.0.1:9000 TIME_WAIT
        + "   3: 0100007F:2328 0100007F:9C41 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0\n";
    assertThat(ProcNetTcp.listeningPorts(table)).containsExactlyInAnyOrder(6379, 8080);
  }

  @Test
  void tcp6ListenSocketsOnWildcardAndLoopbackCount() {
    String table = TCP6_HEADER
        // [::]:80 LISTEN
        + "   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000"
        + " 00:00000000 00000000     0        0 4714 1 0 100 0 0 10 0\n"
        // [::1]:443 LISTEN
        + "   1: 00000000000000000000000001000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000"
        + " 00:00000000 00000000     0        0 4715 1 0 100 0 0 10 0\n";
    assertThat(ProcNetTcp.listeningPorts(table)).containsExactlyInAnyOrder(80, 443);
  }

  @Test
  void aTableWithOnlyItsHeaderHasNoListeners() {
    assertThat(ProcNetTcp.listeningPorts(TCP_HEADER)).isEmpty();
    assertThat(ProcNetTcp.listeningPorts("")).isEmpty();
  }

  @Test
  void aMalformedAddressIsReportedWithItsLine() {
    assertThatThrownBy(() -> ProcNetTcp.listeningPorts(TCP_HEADER + "   0: 0000000018EB 00000000:0000 0A 0\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0000000018EB");
  }

  /** This JVM's own listener shows in the live table of its namespace, and is gone once closed. */
  @Test
  void readsTheLiveTablesOfThisProcess() throws IOException {
    Path procNet = Path.of("/proc/self/net");
    int port;
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = server.getLocalPort();
      assertThat(ListeningPortWaitStrategy.listeningPorts(procNet)).contains(port);
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port); Socket accepted = server.accept()) {
        assertThat(ListeningPortWaitStrategy.listeningPorts(procNet)).doesNotContain(client.getLocalPort());
      }
    }
    assertThat(ListeningPortWaitStrategy.listeningPorts(procNet)).doesNotContain(port);
  }
}
