package dev.skiff.engine.layer;

import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.hash.DigestingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The blob side of unpacking, on a thread of its own so that decompression and extraction each get a core: reads
 * the blob to its end, hashes it, decompresses it, hashes the tar, and hands the tar bytes to the reader of this
 * stream in chunks.
 */
final class TarPipe extends InputStream {
  private static final int CHUNK_SIZE = 256 * 1024;
  private static final int CHUNKS = 8;

  /** A filled buffer, or the end of the tar ({@code buffer == null}), or the producer's failure. */
  private record Chunk(byte[] buffer, int length, Throwable failure) {}

  /** What the blob turned out to be, known once the tar has been read to its end. */
  record Digests(Digest blobDigest, long blobSize, Digest diffId, long size, Compression compression) {}

  private final InputStream blob;
  private final String what;
  private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS + 1);
  private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(CHUNKS);
  private final Thread producer;
  private volatile boolean cancelled;

  // Written by the producer before it queues the end; read by the consumer after taking it.
  private volatile BlobInputStream compressed;
  private Digests digests;

  // The consumer's side.
  private Chunk current;
  private int position;
  private Throwable failure;
  private boolean ended;

  private TarPipe(InputStream blob, String what) {
    this.blob = blob;
    this.what = what;
    for (int i = 0; i < CHUNKS; i++) {
      empty.add(new byte[CHUNK_SIZE]);
    }
    producer = new Thread(this::produce, "skiff-unpack " + what);
    producer.setDaemon(true);
  }

  /** Starts reading {@code blob}; {@code what} names it in messages. */
  static TarPipe start(InputStream blob, String what) {
    TarPipe pipe = new TarPipe(blob, what);
    pipe.producer.start();
    return pipe;
  }

  @Override
  public int read() throws IOException {
    if ((current == null || position == current.length) && !nextChunk()) {
      return -1;
    }
    return current.buffer[position++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if ((current == null || position == current.length) && !nextChunk()) {
      return -1;
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current.buffer, position, b, off, n);
    position += n;
    return n;
  }

  /**
   * Reads past the end of the tar to the end of the blob, waits for the producer, and returns the digests.
   *
   * @throws LayerException if the rest of the blob is corrupt
   */
  Digests finish() throws IOException {
    try {
      while (nextChunk()) {
        position = current.length;
      }
    } catch (IOException e) {
      throw readFailure(e, null);
    }
    join();
    return digests;
  }

  /**
   * What to throw for a failure of reading or parsing the tar: the failure itself if reading the blob failed (the
   * network, say: worth retrying) or it is already a LayerException, else a LayerException saying the content is
   * corrupt.
   *
   * @param entry the tar entry being read, or null
   */
  IOException readFailure(IOException e, String entry) {
    if (e instanceof LayerException || (compressed != null && compressed.isSourceFailure(e))) {
      return e;
    }
    return LayerException.corrupt(what, entry, e);
  }

  /** Stops the producer if it is still running (after a failure), and waits for it. */
  @Override
  public void close() throws IOException {
    if (!ended) {
      cancelled = true;
      producer.interrupt();
    }
    join();
  }

  private boolean nextChunk() throws IOException {
    if (failure != null) {
      throw rethrow(failure);
    }
    if (ended) {
      return false;
    }
    if (current != null && current.buffer != null) {
      empty.add(current.buffer);
    }
    try {
      current = filled.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while unpacking " + what);
    }
    position = 0;
    if (current.failure != null) {
      failure = current.failure;
      ended = true;
      throw rethrow(failure);
    }
    if (current.buffer == null) {
      ended = true;
      return false;
    }
    return true;
  }

  private IOException rethrow(Throwable t) {
    if (t instanceof IOException e) {
      return e;
    }
    if (t instanceof RuntimeException e) {
      throw e;
    }
    throw (Error) t;
  }

  private void produce() {
    Chunk last;
    try {
      DigestingInputStream blobBytes = new DigestingInputStream(blob);
      compressed = new BlobInputStream(blobBytes);
      Compression compression = Compression.detect(compressed.peek(Compression.MAGIC_LENGTH));
      DigestingInputStream tarBytes = new DigestingInputStream(compression.decompress(compressed));
      while (true) {
        byte[] buffer = empty.take();
        int n = tarBytes.readNBytes(buffer, 0, buffer.length);
        if (cancelled) {
          return;
        }
        if (n > 0) {
          filled.put(new Chunk(buffer, n, null));
        }
        if (n < buffer.length) {
          break;
        }
      }
      blobBytes.drain(); // past the compressed stream's end, so the digest covers the whole blob
      digests = new Digests(blobBytes.digest(), blobBytes.count(), tarBytes.digest(), tarBytes.count(), compression);
      last = new Chunk(null, 0, null);
    } catch (InterruptedException e) {
      return; // cancelled
    } catch (Throwable t) {
      last = new Chunk(null, 0, t);
    }
    filled.add(last); // never full: it holds at most CHUNKS chunks plus this one
  }

  private void join() throws IOException {
    try {
      producer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while waiting for the unpacking of " + what);
    }
  }
}
