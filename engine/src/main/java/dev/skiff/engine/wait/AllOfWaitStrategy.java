package dev.skiff.engine.wait;

import dev.skiff.engine.runtime.Container;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Waits for several strategies, one after the other. Its timeout (its own, else the container spec's) bounds the
 * whole wait; a strategy with a shorter timeout of its own keeps it.
 */
public final class AllOfWaitStrategy extends TimedWaitStrategy {
  private final List<WaitStrategy> strategies;

  AllOfWaitStrategy(List<WaitStrategy> strategies, Optional<Duration> startupTimeout) {
    super(startupTimeout);
    if (strategies.isEmpty()) {
      throw new IllegalArgumentException("Wait.allOf needs at least one strategy");
    }
    this.strategies = List.copyOf(strategies);
  }

  @Override
  public AllOfWaitStrategy withStartupTimeout(Duration timeout) {
    return new AllOfWaitStrategy(strategies, Optional.of(timeout));
  }

  @Override
  void waitUntilReady(Container container, Duration timeout) throws ContainerNotReadyException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (WaitStrategy s : strategies) {
      if (s instanceof TimedWaitStrategy timed) {
        Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
        Duration own = timed.startupTimeout().orElse(left);
        timed.waitUntilReady(container, own.compareTo(left) < 0 ? own : left);
      } else {
        s.waitUntilReady(container); // a strategy of the caller's own keeps its own limits
      }
    }
  }

  @Override
  public String toString() {
    return strategies.stream().map(Object::toString).collect(Collectors.joining(", ", "Wait.allOf(", ")"));
  }
}
