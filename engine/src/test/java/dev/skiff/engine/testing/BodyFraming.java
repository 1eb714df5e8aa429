package dev.skiff.engine.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How an HTTP/1.1 message body is delimited (RFC 9112 section 6.3). The proxy decodes a body to its bytes and
 * re-encodes them in the same framing, so faults can count, cut and flip body bytes rather than wire bytes.
 */
final class BodyFraming {
  private enum Kind { EMPTY, LENGTH, CHUNKED, UNTIL_CLOSE }

  private static final BodyFraming EMPTY = new BodyFraming(Kind.EMPTY, 0);
  private static final BodyFraming CHUNKED = new BodyFraming(Kind.CHUNKED, -1);
  private static final BodyFraming UNTIL_CLOSE = new BodyFraming(Kind.UNTIL_CLOSE, -1);

  private final Kind kind;
  private final long length;

  private BodyFraming(Kind kind, long length) {
    this.kind = kind;
    this.length = length;
  }

  static BodyFraming ofRequest(HttpHead request) {
    return request.hasToken("Transfer-Encoding", "chunked") ? CHUNKED : byLength(request, EMPTY);
  }

  static BodyFraming ofResponse(HttpHead response, String requestMethod) {
    int status = response.status();
    if (requestMethod.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) {
      return EMPTY;
    }
    return response.hasToken("Transfer-Encoding", "chunked") ? CHUNKED : byLength(response, UNTIL_CLOSE);
  }

  private static BodyFraming byLength(HttpHead head, BodyFraming otherwise) {
    String value = head.first("Content-Length");
    return value == null ? otherwise : new BodyFraming(Kind.LENGTH, Long.parseLong(value));
  }

  /** Whether the body ends only when the sender closes the connection, which then cannot be reused. */
  boolean endsByClose() {
    return kind == Kind.UNTIL_CLOSE;
  }

  /** The body's bytes, read from {@code in}; the returned stream never closes {@code in}. */
  InputStream decode(InputStream in) {
    return switch (kind) {
      case EMPTY -> InputStream.nullInputStream();
      case LENGTH -> limit(in, length);
      case CHUNKED -> new ChunkedInput(in);
      case UNTIL_CLOSE -> in;
    };
  }

  /** A stream that writes body bytes to {@code out} in this framing; end the body with {@link #finish}. */
  OutputStream encode(OutputStream out) {
    return kind == Kind.CHUNKED ? new ChunkedOutput(out) : out;
  }

  /** Ends a body written through {@link #encode}. */
  void finish(OutputStream out) throws IOException {
    if (kind == Kind.CHUNKED) {
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** At most {@code max} bytes of {@code in}; ends early, without error, if {@code in} does. */
  static InputStream limit(InputStream in, long max) {
    return new BlockInput() {
      private long left = max;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }
    };
  }

  /** Decodes {@code Transfer-Encoding: chunked}; trailers are read and dropped. */
  private static final class ChunkedInput extends BlockInput {
    private final InputStream in;
    private long chunkLeft;
    private boolean done;

    ChunkedInput(InputStream in) {
      this.in = in;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (chunkLeft == 0 && !done) {
        nextChunk();
      }
      if (done) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, chunkLeft));
      if (n < 0) {
        throw new EOFException("Connection closed inside a chunk with " + chunkLeft + " bytes left");
      }
      chunkLeft -= n;
      if (chunkLeft == 0) {
        HttpHead.readLine(in); // the CRLF after the chunk data
      }
      return n;
    }

    private void nextChunk() throws IOException {
      String line = HttpHead.readLine(in);
      if (line == null) {
        throw new EOFException("Connection closed before the next chunk-size line");
      }
      int semicolon = line.indexOf(';'); // chunk extensions are ignored
      chunkLeft = Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
      if (chunkLeft == 0) {
        done = true;
        String trailer;
        do {
          trailer = HttpHead.readLine(in);
        } while (trailer != null && !trailer.isEmpty());
      }
    }
  }

  /** An input stream whose reads all go through {@code read(byte[], int, int)}. */
  private abstract static class BlockInput extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
  }

  /** Encodes each write as one chunk. */
  private static final class ChunkedOutput extends OutputStream {
    private final OutputStream out;

    ChunkedOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > 0) { // a zero-size chunk would end the body
        out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b, off, len);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
    }
  }
}
