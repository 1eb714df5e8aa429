package dev.skiff.engine.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.Lock;

/**
 * A lock held across threads AND processes: a file lock stops other JVMs, an in-process lock stops other threads
 * (a JVM may not take two file locks on one file). Released by {@link #close()}.
 */
public final class StoreLock implements AutoCloseable {
  private static final ConcurrentMap<Path, ReadWriteLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Lock threadLock;
  private final FileChannel channel;
  private final FileLock fileLock;

  private StoreLock(Lock threadLock, FileChannel channel, FileLock fileLock) {
    this.threadLock = threadLock;
    this.channel = channel;
    this.fileLock = fileLock;
  }

  /** Blocks until the lock on {@code file} is held; shared locks admit each other, not exclusive ones. */
  static StoreLock acquire(Path file, boolean shared) throws IOException {
    ReadWriteLock rw = IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new ReentrantReadWriteLock());
    Lock threadLock = shared ? rw.readLock() : rw.writeLock();
    try {
      threadLock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while waiting for the store lock " + file);
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
      FileLock fileLock = channel.lock(0, Long.MAX_VALUE, shared);
      return new StoreLock(threadLock, channel, fileLock);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      threadLock.unlock();
      throw new IOException("Cannot lock " + file + " in the image store: " + e.getMessage()
          + ". Check that the store directory is writable (skiff.store).", e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      fileLock.release();
      channel.close();
    } finally {
      threadLock.unlock();
    }
  }
}
