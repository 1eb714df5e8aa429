package dev.skiff.benchmarks.measure;

import java.time.Duration;

/**
 * The result of an operation and the wall-clock time it took, measured with {@link System#nanoTime()}.
 *
 * @param <T> what the operation returned
 */
public record Timed<T>(Duration elapsed, T value) {

  /** An operation that may fail with {@code E}. */
  @FunctionalInterface
  public interface Operation<T, E extends Exception> {
    T run() throws E;
  }

  /** Runs {@code operation} once and times it. */
  public static <T, E extends Exception> Timed<T> run(Operation<T, E> operation) throws E {
    long start = System.nanoTime();
    return since(start, operation.run());
  }

  /** {@code value}, timed from {@code startNanos} (a {@link System#nanoTime()} reading) until now. */
  public static <T> Timed<T> since(long startNanos, T value) {
    return new Timed<>(Duration.ofNanos(System.nanoTime() - startNanos), value);
  }
}
