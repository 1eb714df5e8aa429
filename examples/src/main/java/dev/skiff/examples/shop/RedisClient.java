package dev.skiff.examples.shop;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A Redis connection speaking RESP 2, just enough for the shop's cache (a real application would use a client
 * library). Not thread-safe: one connection per user.
 */
public final class RedisClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** Connects to {@code redis://[:password@]host:port}, authenticating when the URI has a password. */
  public RedisClient(URI uri) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
    socket.setSoTimeout(5000);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    String userInfo = uri.getUserInfo();
    if (userInfo != null && userInfo.indexOf(':') >= 0) {
      command("AUTH", userInfo.substring(userInfo.indexOf(':') + 1));
    }
  }

  /** Sends one command; returns a simple or bulk string reply (null for nil), or an integer reply as a string. */
  public String command(String... args) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      request.writeBytes(bytes);
      request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.write(request.toByteArray());
    out.flush();
    String line = readLine();
    switch (line.charAt(0)) {
      case '+', ':':
        return line.substring(1);
      case '-':
        throw new IOException("Redis refused " + args[0] + ": " + line.substring(1));
      case '$':
        int length = Integer.parseInt(line.substring(1));
        if (length < 0) {
          return null;
        }
        byte[] value = in.readNBytes(length + 2); // the value and its CRLF
        return new String(value, 0, length, StandardCharsets.UTF_8);
      default:
        throw new IOException("Unexpected Redis reply to " + args[0] + ": " + line);
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("Redis closed the connection mid-reply");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.UTF_8);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
