package dev.skiff.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The first real query a test would send to a service: redis PING over RESP, {@code SELECT 1} over JDBC. Both sides
 * of the ready-time benchmark use these, so that "ready" means the same thing for both.
 */
@FunctionalInterface
interface ServiceQuery {
  /** Database name, user and password every database container of the benchmark is given. */
  String DB = "test";

  /** Sends the query once; throws when the service does not answer it as expected. */
  void run(String host, int port) throws Exception;

  /** Repeats the query every 10 ms until it succeeds; fails with the last error after {@code timeout}. */
  default void awaitSuccess(String host, int port, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        run(host, port);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("No successful query to " + host + ":" + port + " within " + timeout + ": " + e, e);
        }
        Thread.sleep(10);
      }
    }
  }

  /** {@code PING} as a RESP array; the answer must be {@code +PONG}. */
  static void redisPing(String host, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] answer = in.readNBytes(7);
      String text = new String(answer, StandardCharsets.US_ASCII);
      if (!text.equals("+PONG\r\n")) {
        throw new IOException("redis at " + host + ":" + port + " answered PING with '" + text.strip() + "'");
      }
    }
  }

  /** {@code SELECT 1} over a new JDBC connection to {@code jdbc:<scheme>://host:port/test} as test/test. */
  static void selectOne(String scheme, String host, int port) throws SQLException {
    String url = "jdbc:" + scheme + "://" + host + ":" + port + "/" + DB;
    try (Connection c = DriverManager.getConnection(url, DB, DB);
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT 1")) {
      if (!rs.next() || rs.getInt(1) != 1) {
        throw new SQLException("SELECT 1 on " + url + " did not return 1");
      }
    }
  }
}
