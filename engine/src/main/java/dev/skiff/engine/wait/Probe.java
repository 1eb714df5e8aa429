package dev.skiff.engine.wait;

import java.time.Duration;
import java.util.Optional;

/** One wait's readiness check, polled by {@link Polling} until it passes. One thread polls it at a time. */
abstract class Probe {
  /** For checks that only read what the kernel or the log buffer already holds. */
  static final Duration CHEAP_CHECK_INTERVAL = Duration.ofMillis(10);

  private final Duration maxInterval;
  private volatile String lastObservation = "";

  /** A probe for a costly check (a process, a request): polled every 100 ms at most. */
  Probe() {
    this(Duration.ofMillis(100));
  }

  /** A probe polled every {@code maxInterval} at most, which also bounds how late an exit is noticed. */
  Probe(Duration maxInterval) {
    this.maxInterval = maxInterval;
  }

  /** What is awaited, for messages: e.g. {@code a log line matching 'Ready' 2 times}. */
  abstract String awaited();

  /** Whether the container is ready now; may {@link #observe} why not, or throw to say it. */
  abstract boolean ready() throws Exception;

  final Duration maxInterval() {
    return maxInterval;
  }

  /** Why the container can no longer become ready although it runs, e.g. "the container is unhealthy: ...". */
  Optional<String> hopeless() {
    return Optional.empty();
  }

  /** Records what the last check saw, for the failure message. */
  final void observe(String observation) {
    lastObservation = observation;
  }

  final String lastObservation() {
    return lastObservation;
  }

  /** {@link #ready()}, with a thrown exception taken as "not yet" and observed. */
  final boolean check() {
    try {
      return ready();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      if (Thread.currentThread().isInterrupted()) {
        return false; // the wait is over: this failure is its doing, keep the observation before it
      }
      observe(e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage());
      return false;
    }
  }
}
