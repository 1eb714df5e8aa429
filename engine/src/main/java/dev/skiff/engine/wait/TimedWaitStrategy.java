package dev.skiff.engine.wait;

import dev.skiff.engine.runtime.Container;
import java.time.Duration;
import java.util.Optional;

/**
 * A strategy with a startup timeout: its own when {@link #withStartupTimeout set}, else the container spec's.
 * Immutable: the {@code with}/{@code for} methods return a new strategy.
 */
public abstract class TimedWaitStrategy implements WaitStrategy {
  private final Optional<Duration> startupTimeout;

  TimedWaitStrategy(Optional<Duration> startupTimeout) {
    startupTimeout.ifPresent(t -> {
      if (t.isNegative() || t.isZero()) {
        throw new IllegalArgumentException("A startup timeout must be positive, not " + t);
      }
    });
    this.startupTimeout = startupTimeout;
  }

  /** This strategy waiting at most {@code timeout} instead of the container spec's startup timeout. */
  public abstract TimedWaitStrategy withStartupTimeout(Duration timeout);

  /** The timeout set on this strategy; empty: the container spec's. */
  public Optional<Duration> startupTimeout() {
    return startupTimeout;
  }

  @Override
  public final void waitUntilReady(Container container) throws ContainerNotReadyException {
    waitUntilReady(container, startupTimeout.orElse(container.spec().startupTimeout()));
  }

  /** Returns once {@code container} is ready, waiting at most {@code timeout}. */
  abstract void waitUntilReady(Container container, Duration timeout) throws ContainerNotReadyException;
}
