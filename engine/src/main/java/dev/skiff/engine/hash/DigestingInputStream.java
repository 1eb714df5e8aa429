package dev.skiff.engine.hash;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes bytes through while computing their SHA-256 and counting them, so a stream can be verified in the same
 * pass that consumes it.
 */
public final class DigestingInputStream extends FilterInputStream {
  private final MessageDigest digest = Sha256.newDigest();
  private long count;

  public DigestingInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      digest.update((byte) b);
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = in.read(buf, off, len);
    if (n > 0) {
      digest.update(buf, off, n);
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must still be hashed.
    byte[] buf = new byte[8192];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Reads and hashes whatever is left, so the digest covers the whole stream (tar readers stop early). */
  public void drain() throws IOException {
    byte[] buf = new byte[65536];
    while (read(buf, 0, buf.length) >= 0) {
      // hashing happens in read
    }
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  /** The digest of everything read; call once, at the end. */
  public Digest digest() {
    return Digest.sha256(digest.digest());
  }
}
