package dev.skiff.engine.wait;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerException;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;

/**
 * A container did not become ready. The message says what was awaited, for how long, why the wait ended, the
 * container's state and its last {@value #LOG_LINES} log lines.
 */
public final class ContainerNotReadyException extends ContainerException {
  /** Log lines per stream the message quotes. */
  public static final int LOG_LINES = 50;

  private final String awaited;
  private final Duration waited;
  private final OptionalInt exitCode;

  private ContainerNotReadyException(String message, String awaited, Duration waited, OptionalInt exitCode) {
    super(message);
    this.awaited = awaited;
    this.waited = waited;
    this.exitCode = exitCode;
  }

  /**
   * A failed wait on {@code container}.
   *
   * @param awaited what the strategy waited for, e.g. {@code "a log line matching 'Ready' 2 times"}
   * @param why why the wait ended, e.g. {@code "the 2 s timeout passed"}
   */
  public static ContainerNotReadyException of(Container container, String awaited, Duration waited, String why) {
    OptionalInt exitCode = settledExitCode(container);
    String state = exitCode.isPresent() ? "It exited with code " + exitCode.getAsInt()
        : container.isRunning() ? "It is still running" : "It has not started";
    String message = container + " is not ready: waited " + Durations.describe(waited) + " for " + awaited + "; "
        + why + ". " + state + "." + container.logs().tail(LOG_LINES);
    return new ContainerNotReadyException(message, awaited, waited, exitCode);
  }

  /** The exit code of an exited container, once its output has been read to the end. */
  private static OptionalInt settledExitCode(Container container) {
    if (container.isRunning() || container.exitCode().isEmpty()) {
      return container.exitCode();
    }
    try {
      container.waitFor(Duration.ofSeconds(2)); // lets the log pumps read the last lines
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException | IllegalStateException e) {
      // Keep what was read so far.
    }
    return container.exitCode();
  }

  /** What the strategy waited for. */
  public String awaited() {
    return awaited;
  }

  /** How long it waited. */
  public Duration waited() {
    return waited;
  }

  /** The container's exit code when it had exited by the time the wait failed. */
  public OptionalInt exitCode() {
    return exitCode;
  }
}
