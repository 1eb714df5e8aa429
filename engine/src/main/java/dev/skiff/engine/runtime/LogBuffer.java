package dev.skiff.engine.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One output stream of a container: the last {@code capacity} bytes, and the lines handed to followers as they
 * complete. Fed by one pump thread; read by any.
 */
final class LogBuffer {
  private final int capacity;
  private byte[] ring = new byte[4096]; // grows up to capacity: most containers print little
  private int start;
  private int size;
  private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
  private final List<Consumer<String>> followers = new ArrayList<>();
  private boolean ended;
  private java.io.OutputStream file;
  private long fileBytes;

  LogBuffer(int capacity) {
    this.capacity = capacity;
  }

  /** Copies {@code in} into the buffer until EOF, in the calling thread. */
  void pump(InputStream in) {
    byte[] chunk = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        append(chunk, n);
      }
    } catch (IOException e) {
      // The launcher went away; what arrived is kept.
    } finally {
      end();
    }
  }

  /** Also writes what arrives to {@code path}, up to {@code limit} bytes, so that other processes can read it. */
  synchronized void persistTo(java.nio.file.Path path, long limit) throws IOException {
    file = java.nio.file.Files.newOutputStream(path);
    fileBytes = limit;
  }

  synchronized void append(byte[] data, int length) {
    if (file != null) {
      try {
        file.write(data, 0, (int) Math.min(length, fileBytes));
        fileBytes -= Math.min(length, fileBytes);
      } catch (IOException e) {
        fileBytes = 0; // the copy on disk is a convenience; the buffer stays complete
      }
    }
    for (int i = 0; i < length; i++) {
      if (size == ring.length && ring.length < capacity) {
        byte[] grown = new byte[Math.min(capacity, ring.length * 2)];
        copyInOrder(grown);
        ring = grown;
        start = 0;
      }
      ring[(start + size) % ring.length] = data[i];
      if (size < ring.length) {
        size++;
      } else {
        start = (start + 1) % ring.length;
      }
      if (data[i] != '\n') {
        partialLine.write(data[i]);
      }
      if (data[i] == '\n' || partialLine.size() == capacity) { // an endless line is cut, not hoarded
        deliver(partialLine.toString(StandardCharsets.UTF_8));
        partialLine.reset();
      }
    }
  }

  private synchronized void end() {
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        // nothing left to do
      }
    }
    if (partialLine.size() > 0) {
      deliver(partialLine.toString(StandardCharsets.UTF_8));
      partialLine.reset();
    }
    ended = true;
    notifyAll();
  }

  private void deliver(String line) {
    for (Consumer<String> f : followers) {
      f.accept(line);
    }
  }

  /** The buffered text, oldest first. */
  synchronized String text() {
    byte[] copy = new byte[size];
    copyInOrder(copy);
    return new String(copy, StandardCharsets.UTF_8);
  }

  private void copyInOrder(byte[] target) {
    int first = Math.min(size, ring.length - start);
    System.arraycopy(ring, start, target, 0, first);
    System.arraycopy(ring, 0, target, first, size - first);
  }

  /** Replays the buffered complete lines to {@code follower}, then hands it every new line. */
  synchronized void follow(Consumer<String> follower) {
    String buffered = text();
    int lastNewline = buffered.lastIndexOf('\n');
    if (lastNewline >= 0) {
      for (String line : buffered.substring(0, lastNewline).split("\n", -1)) {
        follower.accept(line);
      }
    }
    if (ended && partialLine.size() == 0 && lastNewline < buffered.length() - 1) {
      follower.accept(buffered.substring(lastNewline + 1));
    }
    followers.add(follower);
  }

  /** Waits until the stream has ended; returns whether it did within {@code millis}. */
  synchronized boolean awaitEnd(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!ended) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }
}
