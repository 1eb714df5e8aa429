package dev.skiff.engine.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A lock held across threads AND processes: an in-process read/write lock orders this JVM's threads, and one file
 * lock per JVM, taken by the first holder and released by the last, orders the JVMs (a JVM may hold only one file
 * lock on a file). Released by {@link #close()}.
 */
public final class StoreLock implements AutoCloseable {
  private static final ConcurrentMap<Path, JvmLock> IN_PROCESS = new ConcurrentHashMap<>();

  /** This JVM's view of one lock file. Readers and writers never hold it at once, so one count serves both. */
  private static final class JvmLock {
    final ReentrantReadWriteLock threads = new ReentrantReadWriteLock();
    int holders;
    FileChannel channel;
    FileLock fileLock;
  }

  private final JvmLock jvmLock;
  private final Lock threadLock;
  private boolean closed;

  private StoreLock(JvmLock jvmLock, Lock threadLock) {
    this.jvmLock = jvmLock;
    this.threadLock = threadLock;
  }

  /** Blocks until the lock on {@code file} is held; shared locks admit each other, not exclusive ones. */
  public static StoreLock acquire(Path file, boolean shared) throws IOException {
    JvmLock jvm = IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new JvmLock());
    Lock threadLock = shared ? jvm.threads.readLock() : jvm.threads.writeLock();
    try {
      threadLock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while waiting for the store lock " + file);
    }
    try {
      synchronized (jvm) {
        if (jvm.holders == 0) {
          lockFile(jvm, file, shared);
        }
        jvm.holders++;
      }
      return new StoreLock(jvm, threadLock);
    } catch (IOException | RuntimeException e) {
      threadLock.unlock();
      throw e;
    }
  }

  private static void lockFile(JvmLock jvm, Path file, boolean shared) throws IOException {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
      jvm.fileLock = channel.lock(0, Long.MAX_VALUE, shared);
      jvm.channel = channel;
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      throw new IOException("Cannot lock " + file + " in the image store: " + e
          + ". Check that the store directory is writable (skiff.store).", e);
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      synchronized (jvmLock) {
        if (--jvmLock.holders == 0) {
          try {
            jvmLock.fileLock.release();
          } finally {
            jvmLock.channel.close();
            jvmLock.fileLock = null;
            jvmLock.channel = null;
          }
        }
      }
    } finally {
      threadLock.unlock();
    }
  }
}
