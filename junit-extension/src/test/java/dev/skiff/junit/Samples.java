package dev.skiff.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.skiff.engine.runtime.Container;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs sample test classes through the JUnit Platform, as a build would, and keeps what their tests saw: which
 * container each asked for got which id and PID.
 */
final class Samples {
  /** One container as one test saw it. */
  record Sighting(String test, String handle, String id, long pid) {}

  static final List<Sighting> SIGHTINGS = new CopyOnWriteArrayList<>();

  private Samples() {}

  static EngineExecutionResults run(Class<?>... samples) {
    return kit(samples).execute();
  }

  static EngineTestKit.Builder kit(Class<?>... samples) {
    SIGHTINGS.clear();
    return EngineTestKit.engine("junit-jupiter")
        .selectors(Arrays.stream(samples).map(c -> selectClass(c)).toArray(DiscoverySelector[]::new));
  }

  /** Runs {@code samples} with classes and methods in parallel on {@code threads} threads. */
  static EngineExecutionResults runInParallel(int threads, Class<?>... samples) {
    return kit(samples)
        .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
        .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
        .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
        .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
        .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "" + threads)
        .execute();
  }

  /** Called by a sample test: records {@code container}, which must be running. */
  static void saw(String test, String handle, Container container) {
    assertThat(container.isRunning()).as("%s of %s is running", handle, test).isTrue();
    SIGHTINGS.add(new Sighting(test, handle, container.id(), container.pid()));
  }

  static List<Sighting> of(String handle) {
    return SIGHTINGS.stream().filter(s -> s.handle().equals(handle)).toList();
  }

  static Set<String> ids(String handle) {
    return of(handle).stream().map(Sighting::id).collect(Collectors.toSet());
  }

  /** Whether every container any sample saw is gone: its PID 1 no longer exists. */
  static void assertAllRemoved() {
    assertThat(SIGHTINGS).isNotEmpty();
    for (Sighting s : SIGHTINGS) {
      assertThat(Path.of("/proc/" + s.pid())).as("PID %d of %s in %s", s.pid(), s.handle(), s.test()).doesNotExist();
    }
  }

  /** Polls {@code condition} for up to {@code timeout}. */
  static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
