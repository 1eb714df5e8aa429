package dev.skiff.engine.layer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The compressed side of the unpacking pipeline: buffers the blob, lets the compression be sniffed, tells failures
 * of the source (the network) apart from bad content, and reports {@link #available()} truthfully.
 */
final class BlobInputStream extends BufferedInputStream {
  private static final int BUFFER_SIZE = 64 * 1024;

  private IOException sourceFailure;

  BlobInputStream(InputStream source) {
    super(source, BUFFER_SIZE);
  }

  /** The first bytes of the blob, left unread. */
  synchronized byte[] peek(int length) throws IOException {
    mark(length);
    byte[] head = new byte[length];
    int n = readNBytes(head, 0, length);
    reset();
    return n == length ? head : Arrays.copyOf(head, n);
  }

  /**
   * Returns 0 only at the true end of the blob. GZIPInputStream reads the next member of a multi-member gzip only
   * if {@code available() > 0}, and a network stream may have nothing ready between two members.
   */
  @Override
  public synchronized int available() throws IOException {
    int buffered = super.available();
    if (buffered > 0) {
      return buffered;
    }
    if (read() < 0) {
      return 0;
    }
    pos--; // un-read the byte just fetched; it is still in buf
    return 1;
  }

  @Override
  public synchronized int read() throws IOException {
    try {
      return super.read();
    } catch (IOException e) {
      throw sourceFailed(e);
    }
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (IOException e) {
      throw sourceFailed(e);
    }
  }

  /**
   * What to throw for a failure while decompressing or parsing: the failure itself if reading the blob failed (the
   * network, say: worth retrying), else a {@link LayerException} saying the content is corrupt.
   */
  IOException readFailure(IOException e, String what, String entry) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t == sourceFailure || t instanceof LayerException) {
        return e;
      }
    }
    return LayerException.corrupt(what, entry, e);
  }

  /** Leaves the blob open: the caller owns it. */
  @Override
  public void close() {}

  private IOException sourceFailed(IOException e) {
    sourceFailure = e;
    return e;
  }
}
