package dev.skiff.engine.wait;

import dev.skiff.engine.runtime.Container;

/**
 * Decides when a started container is ready for a test: its port listens, a log line came, an HTTP endpoint answers.
 * Set one with {@code ContainerSpec.Builder.waitingFor}; {@link Wait} makes the usual ones.
 */
@FunctionalInterface
public interface WaitStrategy {
  /**
   * Returns once {@code container} is ready.
   *
   * @throws ContainerNotReadyException when it did not become ready in time, or exited while waiting
   */
  void waitUntilReady(Container container) throws ContainerNotReadyException;
}
