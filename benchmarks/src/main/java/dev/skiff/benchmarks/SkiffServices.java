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
 * Testcontainers modules configure them (same credentials, postgres with fsync off) and with the same kinds of
 * wait strategy: listening port for redis and mariadb, the ready log line twice for postgres.
 */
final class SkiffServices {
  static final String NAME = "Skiff";

  private static final Map<String, SpecFor> SPECS = Map.of(
      "redis", image -> ContainerSpec.builder(image).exposedPorts(6379).waitingFor(Wait.forListeningPort()),
      "postgres", image -> ContainerSpec.builder(image).exposedPorts(5432)
          .env("POSTGRES_DB", ServiceQuery.DB).env("POSTGRES_USER", ServiceQuery.DB)
          .env("POSTGRES_PASSWORD", ServiceQuery.DB).command("postgres", "-c", "fsync=off")
          .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2)),
      "mariadb", image -> ContainerSpec.builder(image).exposedPorts(3306)
          .env("MYSQL_DATABASE", ServiceQuery.DB).env("MYSQL_USER", ServiceQuery.DB)
          .env("MYSQL_PASSWORD", ServiceQuery.DB).env("MYSQL_ROOT_PASSWORD", ServiceQuery.DB)
          .waitingFor(Wait.forListeningPort()));

  @FunctionalInterface
  private interface SpecFor {
    ContainerSpec.Builder apply(String image);
  }

  private SkiffServices() {}

  /** Create and start, query until it answers: the ready time; then close(): the stop + remove time. */
  static Contestant contestant(Engine engine, ReadyBenchmark.Service service, String image, Duration queryTimeout) {
    ContainerSpec spec = SPECS.get(service.name()).apply(image).build();
    return new Contestant(NAME, () -> {
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
