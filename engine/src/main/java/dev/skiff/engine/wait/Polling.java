package dev.skiff.engine.wait;

import dev.skiff.engine.runtime.Container;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.awaitility.pollinterval.IterativePollInterval;
import org.awaitility.pollinterval.PollInterval;

/** Polls a {@link Probe} with Awaitility until it passes, the container exits, or the timeout passes. */
final class Polling {
  private static final Duration FIRST_INTERVAL = Duration.ofMillis(2);

  private Polling() {}

  static void await(Container container, Probe probe, Duration timeout) throws ContainerNotReadyException {
    long start = System.nanoTime();
    try {
      Awaitility.await(container.name() + " ready")
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(interval(probe.maxInterval()))
          .failFast(() -> !container.isRunning() || probe.hopeless().isPresent())
          .until(probe::check);
    } catch (ConditionTimeoutException e) {
      throw ContainerNotReadyException.of(container, probe.awaited(), elapsedSince(start),
          "the " + Durations.describe(timeout) + " timeout passed" + lastSeen(probe));
    } catch (TerminalFailureException e) {
      String why = probe.hopeless().orElse("the container exited while waiting" + lastSeen(probe));
      throw ContainerNotReadyException.of(container, probe.awaited(), elapsedSince(start), why);
    }
  }

  private static String lastSeen(Probe probe) {
    String last = probe.lastObservation();
    return last.isEmpty() ? "" : " (last check: " + last + ")";
  }

  private static Duration elapsedSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Quick checks at first (fast containers are ready in milliseconds), then every {@code max}. */
  private static PollInterval interval(Duration max) {
    return IterativePollInterval.iterative(d -> d.multipliedBy(2).compareTo(max) > 0 ? max : d.multipliedBy(2),
        FIRST_INTERVAL);
  }
}
