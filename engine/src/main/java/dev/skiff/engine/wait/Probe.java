package dev.skiff.engine.wait;

import java.util.Optional;

/** One wait's readiness check, polled by {@link Polling} until it passes. One thread polls it at a time. */
abstract class Probe {
  private volatile String lastObservation = "";

  /** What is awaited, for messages: e.g. {@code a log line matching 'Ready' 2 times}. */
  abstract String awaited();

  /** Whether the container is ready now; may {@link #observe} why not, or throw to say it. */
  abstract boolean ready() throws Exception;

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
