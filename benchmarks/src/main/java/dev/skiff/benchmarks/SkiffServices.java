package dev.skiff.benchmarks;

import dev.skiff.benchmarks.Interleaved.Contestant;
import java.time.Duration;
import java.util.Optional;

/** The Skiff side of the ready-time benchmark: the same services through Skiff's engine. */
final class SkiffServices {
  static final String NAME = "Skiff";

  private SkiffServices() {}

  /** Why Skiff cannot run the services yet; empty once it can. */
  static Optional<String> missing() {
    return Optional.of("the engine does not publish container ports nor wait for readiness yet (Session-2"
        + " networking and wait strategies); this benchmark measures it once those are merged.");
  }

  static Contestant contestant(BenchmarkOptions options, ReadyBenchmark.Service service, String image,
      Duration queryTimeout) {
    throw new UnsupportedOperationException(missing().orElseThrow());
  }
}
