package dev.skiff.engine.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;

/**
 * A blob download that survives dropped connections: when a read fails it asks again from the byte it got to
 * (an HTTP Range request) and carries on, so the consumer sees one unbroken stream. It also enforces the size the
 * manifest declared, so a registry cannot feed endless or short content.
 */
final class ResumableBlobStream extends InputStream {
  /** Opens the blob at an offset; returns a stream positioned at that offset. */
  interface Opener {
    InputStream open(long offset) throws IOException;
  }

  private final Opener opener;
  private final long size;
  private final String what;
  private final int maxResumes;
  private InputStream current;
  private long position;
  private int resumes;

  ResumableBlobStream(Opener opener, long size, String what, int maxResumes) throws IOException {
    this.opener = opener;
    this.size = size;
    this.what = what;
    this.maxResumes = maxResumes;
    this.current = opener.open(0);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (true) {
      if (position >= size) {
        checkNoExcess();
        return -1;
      }
      int n;
      try {
        n = current.read(buf, off, (int) Math.min(len, size - position));
      } catch (InterruptedIOException e) {
        if (!(e instanceof SocketTimeoutException)) {
          throw e;
        }
        resume(e);
        continue;
      } catch (IOException e) {
        resume(e);
        continue;
      }
      if (n < 0) {
        resume(null);
        continue;
      }
      position += n;
      return n;
    }
  }

  /** A blob longer than declared is a registry fault, not something to pass on silently. */
  private void checkNoExcess() throws IOException {
    if (current != null && current.read() >= 0) {
      throw new RegistryException(what + ": the registry sent more than the " + size
          + " bytes the manifest declares; the image is corrupt on the registry or a proxy altered it", 0);
    }
  }

  private void resume(IOException cause) throws IOException {
    closeQuietly();
    if (resumes >= maxResumes) {
      String why = cause == null ? "the connection ended early" : describe(cause);
      RegistryException failure = new RegistryException(what + ": download failed at byte " + position + " of " + size
          + " after " + resumes + " resumed attempts (" + why + "). Check the network and the registry, or raise"
          + " the read timeout (skiff.timeout.read) for a slow registry.", cause);
      throw failure;
    }
    resumes++;
    current = opener.open(position);
  }

  private static String describe(IOException e) {
    return e instanceof SocketTimeoutException ? "no data within the read timeout" : e.toString();
  }

  /** How often the download had to be resumed. */
  int resumes() {
    return resumes;
  }

  private void closeQuietly() {
    try {
      if (current != null) {
        current.close();
      }
    } catch (IOException ignored) {
      // the connection is being replaced anyway
    }
    current = null;
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
