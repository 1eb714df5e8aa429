package dev.skiff.engine.runtime;

import java.util.function.Consumer;

/**
 * A container's stdout and stderr, kept apart, each bounded to its last {@value #CAPACITY} bytes, and readable
 * after the container has exited. Followers get each line (without its newline) from the pump thread.
 */
public final class ContainerLogs {
  /** Bytes kept per stream. */
  public static final int CAPACITY = 1 << 20;

  /** A container's output streams. */
  public enum Stream { STDOUT, STDERR }

  private final LogBuffer stdout = new LogBuffer(CAPACITY);
  private final LogBuffer stderr = new LogBuffer(CAPACITY);

  ContainerLogs() {}

  /** Everything still buffered from stdout. */
  public String stdout() {
    return stdout.text();
  }

  /** Everything still buffered from stderr. */
  public String stderr() {
    return stderr.text();
  }

  /**
   * The last {@code lines} lines of each stream, for messages: " It printed nothing." or "\nLast lines of its
   * stdout:\n..." and the same for stderr.
   */
  public String tail(int lines) {
    String out = lastLines(stdout(), lines);
    String err = lastLines(stderr(), lines);
    if (out.isEmpty() && err.isEmpty()) {
      return " It printed nothing.";
    }
    return (out.isEmpty() ? "" : "\nLast lines of its stdout:\n" + out)
        + (err.isEmpty() ? "" : "\nLast lines of its stderr:\n" + err);
  }

  private static String lastLines(String text, int count) {
    String[] lines = text.split("\n");
    int from = Math.max(0, lines.length - count);
    return text.isEmpty() ? "" : String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length));
  }

  /** Hands {@code lines} the buffered lines of {@code stream}, then each new one as it completes. */
  public void follow(Stream stream, Consumer<String> lines) {
    buffer(stream).follow(lines);
  }

  /** Follows both streams with one consumer. */
  public void follow(Consumer<String> lines) {
    follow(Stream.STDOUT, lines);
    follow(Stream.STDERR, lines);
  }

  /** How much of each stream {@link #persistTo} writes to disk. */
  static final long PERSISTED_CAPACITY = 64L << 20;

  /** Also writes both streams to files (their first {@link #PERSISTED_CAPACITY} bytes), for {@code skiff logs}. */
  void persistTo(java.nio.file.Path stdoutFile, java.nio.file.Path stderrFile) throws java.io.IOException {
    stdout.persistTo(stdoutFile, PERSISTED_CAPACITY);
    stderr.persistTo(stderrFile, PERSISTED_CAPACITY);
  }

  LogBuffer buffer(Stream stream) {
    return stream == Stream.STDOUT ? stdout : stderr;
  }

  /** Waits until both streams have ended, at most {@code millis}; returns whether they did. */
  boolean awaitEnd(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    return stdout.awaitEnd(millis) && stderr.awaitEnd(Math.max(0, deadline - System.currentTimeMillis()));
  }
}
