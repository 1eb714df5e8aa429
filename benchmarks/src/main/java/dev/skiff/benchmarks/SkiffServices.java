package dev.skiff.benchmarks;

import dev.skiff.benchmarks.Interleaved.Contestant;
import dev.skiff.engine.Engine;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import dev.skiff.engine.wait.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Skiff side of the ready-time benchmark: the same services through Skiff's engine, configured as their
 * Testcontainers modules configure them (same credentials, postgres with fsync off) and with the wait strategies
 * of Skiff's catalog. The databases start from snapshots, as the catalog's do: a first start on a fresh store
 * initialises a seed container, stops it and keeps its files; later starts are copy-on-write views of them.
 */
final class SkiffServices {
  static final String NAME = "Skiff";
  /** The contestant that drops the snapshot before each try: initialise + snapshot + start from it. */
  static final String FIRST_START = "Skiff, first start";

  private static final Map<String, SpecFor> SPECS = Map.of(
      "redis", image -> ContainerSpec.builder(image).exposedPorts(6379).waitingFor(Wait.forListeningPort()),
      "postgres", image -> ContainerSpec.builder(image).exposedPorts(5432)
          .env("POSTGRES_DB", ServiceQuery.DB).env("POSTGRES_USER", ServiceQuery.DB)
          .env("POSTGRES_PASSWORD", ServiceQuery.DB).command("postgres", "-c", "fsync=off")
          .waitingFor(Wait.allOf(
              Wait.forLogMessage("database system is ready to accept connections|Skipping initialization", 2),
              Wait.forListeningPort()))
          .snapshot(true),
      "mariadb", image -> ContainerSpec.builder(image).exposedPorts(3306)
          .env("MYSQL_DATABASE", ServiceQuery.DB).env("MYSQL_USER", ServiceQuery.DB)
          .env("MYSQL_PASSWORD", ServiceQuery.DB).env("MYSQL_ROOT_PASSWORD", ServiceQuery.DB)
          .waitingFor(Wait.allOf(Wait.forListeningPort(), Wait.forLogMessage("port: 3306\\b", 1)))
          .snapshot(true));

  @FunctionalInterface
  private interface SpecFor {
    ContainerSpec.Builder apply(String image);
  }

  private SkiffServices() {}

  /** Whether {@code service}'s containers start from a snapshot. */
  static boolean snapshots(ReadyBenchmark.Service service) {
    return SPECS.get(service.name()).apply("any").build().snapshot();
  }

  /**
   * Create and start, query until it answers: the ready time; then close(): the stop + remove time. With
   * {@code firstStart}, the store's snapshots of {@code image} are removed first, so the start builds one.
   */
  static Contestant contestant(Engine engine, ReadyBenchmark.Service service, String image, Duration queryTimeout,
      boolean firstStart) {
    ContainerSpec spec = SPECS.get(service.name()).apply(image).build();
    return new Contestant(firstStart ? FIRST_START : NAME, () -> {
      if (firstStart) {
        engine.store().snapshots().removeIf(s -> s.image().equals(image));
      }
      long start = System.nanoTime();
      Container c = engine.create(spec);
      try {
        c.start();
        service.query().awaitSuccess(c.host(), c.mappedPort(service.port()), queryTimeout);
      } catch (Exception | Error e) {
        System.out.println(service.name() + " under Skiff did not answer; its log:\n" + c.logs());
        c.close();
        throw e;
      }
      Duration ready = Duration.ofNanos(System.nanoTime() - start);
      long stop = System.nanoTime();
      c.close();
      return List.of(ready, Duration.ofNanos(System.nanoTime() - stop));
    });
  }
}
