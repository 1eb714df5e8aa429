package dev.skiff.engine.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The start line and headers of one HTTP/1.1 message, in wire order and case. Immutable. */
final class HttpHead {
  private static final int MAX_LINE = 64 * 1024;

  private final String startLine;
  private final List<Map.Entry<String, String>> headers;

  HttpHead(String startLine, List<Map.Entry<String, String>> headers) {
    this.startLine = startLine;
    this.headers = List.copyOf(headers);
  }

  /** Reads a head, or returns null if the peer closed the connection before sending one. */
  static HttpHead read(InputStream in) throws IOException {
    String start = readLine(in);
    while (start != null && start.isEmpty()) { // RFC 9112 2.2: ignore blank lines before a request line
      start = readLine(in);
    }
    if (start == null) {
      return null;
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (String line = readLine(in); ; line = readLine(in)) {
      if (line == null) {
        throw new EOFException("Connection closed in the middle of the headers after '" + start + "'");
      }
      if (line.isEmpty()) {
        return new HttpHead(start, headers);
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("Malformed header line '" + line + "' after '" + start + "'");
      }
      headers.add(Map.entry(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
    }
  }

  /** Reads one CRLF- (or LF-) terminated line, or returns null at end of stream before any byte. */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        if (line.size() == 0) {
          return null;
        }
        throw new EOFException("Connection closed in the middle of a line");
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("HTTP line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    String s = line.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  String startLine() {
    return startLine;
  }

  /** The i-th space-separated part of the start line: method/target/version, or version/status/reason. */
  String part(int i) {
    String[] parts = startLine.split(" ", 3);
    return i < parts.length ? parts[i] : "";
  }

  int status() {
    return Integer.parseInt(part(1));
  }

  List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** The first value of the named header (case-insensitive), or null. */
  String first(String name) {
    return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
        .findFirst().orElse(null);
  }

  /** Whether a comma-separated header such as Connection or Transfer-Encoding lists {@code token}. */
  boolean hasToken(String name, String token) {
    return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name))
        .flatMap(h -> List.of(h.getValue().toLowerCase(Locale.ROOT).split(",")).stream())
        .anyMatch(t -> t.trim().equals(token));
  }

  /** A copy with the named header's first occurrence replaced in place (appended if absent). */
  HttpHead with(String name, String value) {
    List<Map.Entry<String, String>> copy = new ArrayList<>(headers);
    for (int i = 0; i < copy.size(); i++) {
      if (copy.get(i).getKey().equalsIgnoreCase(name)) {
        copy.set(i, Map.entry(copy.get(i).getKey(), value));
        return new HttpHead(startLine, copy);
      }
    }
    copy.add(Map.entry(name, value));
    return new HttpHead(startLine, copy);
  }

  void writeTo(OutputStream out) throws IOException {
    StringBuilder sb = new StringBuilder(startLine).append("\r\n");
    headers.forEach(h -> sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
    out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
  }
}
