package dev.skiff.benchmarks;

import dev.skiff.benchmarks.Interleaved.Contestant;
import dev.skiff.benchmarks.measure.Figure;
import dev.skiff.benchmarks.measure.MachineDescription;
import dev.skiff.benchmarks.measure.Samples;
import dev.skiff.benchmarks.report.Comparison;
import dev.skiff.benchmarks.report.ComparisonReport;
import dev.skiff.benchmarks.report.Target;
import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MariaDBContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scenario 3: from asking for a service container to its first successful query (redis PING, postgres and mariadb
 * {@code SELECT 1}), then stop + remove, Skiff against Testcontainers with the images already local.
 */
@Command(name = "ready-benchmark", mixinStandardHelpOptions = true,
    description = "Scenario 3: ready time and stop+remove of redis, postgres, mariadb: Skiff vs Testcontainers.")
public final class ReadyBenchmark implements Callable<Integer> {
  static final String TESTCONTAINERS = "Testcontainers";
  private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(2);

  /** A service: its image, the port a test queries, Testcontainers' way of starting it, the query. */
  record Service(String name, String repository, int port, String testcontainersClass,
      Function<DockerImageName, GenericContainer<?>> testcontainers, ServiceQuery query) {}

  static final List<Service> SERVICES = List.of(
      new Service("redis", "library/redis:7.0", 6379, "GenericContainer (its default wait: listening port)",
          image -> new GenericContainer<>(image).withExposedPorts(6379), ServiceQuery::redisPing),
      new Service("postgres", "library/postgres:15", 5432, "PostgreSQLContainer",
          image -> new PostgreSQLContainer<>(image.asCompatibleSubstituteFor("postgres"))
              .withDatabaseName(ServiceQuery.DB).withUsername(ServiceQuery.DB).withPassword(ServiceQuery.DB),
          (host, port) -> ServiceQuery.selectOne("postgresql", host, port)),
      new Service("mariadb", "library/mariadb:10.11", 3306, "MariaDBContainer",
          image -> new MariaDBContainer<>(image.asCompatibleSubstituteFor("mariadb"))
              .withDatabaseName(ServiceQuery.DB).withUsername(ServiceQuery.DB).withPassword(ServiceQuery.DB),
          (host, port) -> ServiceQuery.selectOne("mariadb", host, port)));

  @Mixin
  private BenchmarkOptions options;

  @Option(names = "--services", split = ",", defaultValue = "redis,postgres,mariadb",
      description = "Which of redis, postgres, mariadb (default: ${DEFAULT-VALUE}).")
  private List<String> services;

  @Option(names = "--target", defaultValue = "0.25",
      description = "PASS when Skiff's median over Testcontainers' is at most this (default: 1/4).")
  private double target;

  @Override
  public Integer call() throws Exception {
    options.check();
    DockerSide docker = DockerSide.connect(options, true);
    MachineDescription machine = MachineDescription.ofThisMachine(docker.describe());
    List<Comparison> rows = new ArrayList<>();
    List<Comparison> stopRows = new ArrayList<>();
    try (Engine engine = Engine.create(EngineConfig.builder().store(options.workDir().resolve("store")).build())) {
      for (String name : services) {
        Service service = SERVICES.stream().filter(s -> s.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("Unknown service '" + name + "'; known: redis, postgres,"
                + " mariadb"));
        Map<String, List<Samples>> times = measure(engine, docker, service);
        Optional<List<Samples>> skiff = Optional.of(times.get(SkiffServices.NAME));
        Optional<List<Samples>> tc = Optional.ofNullable(times.get(TESTCONTAINERS));
        boolean snapshots = SkiffServices.snapshots(service);
        rows.add(new Comparison("3", name + ": start → first query" + (snapshots ? ", from the snapshot" : ""),
            Figure.Unit.MILLISECONDS, skiff.map(s -> ms(s, 0)), TESTCONTAINERS + " " + service.testcontainersClass(),
            tc.map(s -> ms(s, 0)), Target.ratioAtMost(target)));
        if (snapshots) {
          rows.add(new Comparison("3", name + ": first start on a fresh store (initialise + snapshot) → first query",
              Figure.Unit.MILLISECONDS, Optional.of(ms(times.get(SkiffServices.FIRST_START), 0)),
              TESTCONTAINERS + " " + service.testcontainersClass(), tc.map(s -> ms(s, 0)), Target.NONE));
        }
        stopRows.add(new Comparison("3", name + ": stop + remove", Figure.Unit.MILLISECONDS,
            skiff.map(s -> ms(s, 1)), TESTCONTAINERS + " stop()", tc.map(s -> ms(s, 1)), Target.ratioAtMost(target)));
      }
    }
    rows.addAll(stopRows);

    List<String> notes = new ArrayList<>();
    notes.add("Scenario 3, images from " + options.registryAddress() + " already local: " + options.rounds
        + " rounds per service after " + options.warmup + " warm-up, Skiff and Testcontainers interleaved;"
        + " median (min–max) wall-clock milliseconds.");
    notes.add("Ready: from creating the container object until the first successful query: redis PING over RESP,"
        + " postgres and mariadb `SELECT 1` over a new JDBC connection (database, user and password `test`),"
        + " repeated every 10 ms until it succeeds. Testcontainers' start() returns after its wait strategy (redis:"
        + " listening port, checked inside and outside the container; postgres: the ready log line twice; mariadb: a"
        + " JDBC test query); Skiff's start() returns after its catalog's strategy (redis: Wait.forListeningPort();"
        + " postgres: the port and two lines of 'ready to accept connections' or 'Skipping initialization'; mariadb:"
        + " the port and the server's 'port: 3306' line). Both are given the same settings (credentials; postgres"
        + " with `-c fsync=off` as PostgreSQLContainer sets it). Stop + remove: Testcontainers' stop() (kill,"
        + " remove) against Skiff's Container.close() (SIGKILL, remove).");
    notes.add("Snapshots (postgres, mariadb): Skiff's database specs ask for a snapshot, as its catalog's do. The"
        + " first container of a spec on a store runs as a seed: the image initialises its database (initdb or"
        + " mariadb-install-db, the temporary server, stop, the real server), Skiff stops it cleanly and keeps its"
        + " files in the store; every later container of an equal spec, in any JVM, starts on a copy-on-write"
        + " overlay of them with a private writable layer, skipping the initialisation. 'from the snapshot': the"
        + " warm-up round made it; 'first start on a fresh store': the snapshot is removed before each try, so the"
        + " time holds the seed's initialisation, its clean stop and the start from the new snapshot."
        + " Testcontainers initialises every container.");
    notes.addAll(options.notes);
    docker.missing().ifPresent(why -> notes.add("No docker comparison: " + why));
    ReportOutput.publish(options, "ready", new ComparisonReport("Scenario 3: ready time", LocalDate.now(), notes,
        machine, rows));
    return 0;
  }

  /** Both sides' ready and stop times for {@code service}, interleaved, keyed by contestant. */
  private Map<String, List<Samples>> measure(Engine engine, DockerSide docker, Service service) throws Exception {
    String image = options.image(service.repository());
    engine.pull(image);
    List<Contestant> contestants = new ArrayList<>();
    contestants.add(SkiffServices.contestant(engine, service, image, QUERY_TIMEOUT, false));
    if (SkiffServices.snapshots(service)) {
      contestants.add(SkiffServices.contestant(engine, service, image, QUERY_TIMEOUT, true));
    }
    if (docker.present()) {
      docker.cli().run("pull", "-q", image);
      DockerImageName imageName = DockerImageName.parse(image);
      contestants.add(new Contestant(TESTCONTAINERS, () -> testcontainers(service, imageName)));
    }
    return Interleaved.run(contestants, options.warmup, options.rounds, service.name());
  }

  private static List<Duration> testcontainers(Service service, DockerImageName image) throws Exception {
    long start = System.nanoTime();
    GenericContainer<?> c = service.testcontainers().apply(image);
    try {
      c.start();
      service.query().awaitSuccess(c.getHost(), c.getMappedPort(service.port()), QUERY_TIMEOUT);
    } catch (Exception | Error e) {
      c.stop();
      throw e;
    }
    Duration ready = Duration.ofNanos(System.nanoTime() - start);
    long stop = System.nanoTime();
    c.stop();
    return List.of(ready, Duration.ofNanos(System.nanoTime() - stop));
  }

  private static Figure ms(List<Samples> samples, int measure) {
    return samples.get(measure).in(Figure.Unit.MILLISECONDS);
  }

  public static void main(String[] args) {
    ReportOutput.main("ready-benchmark", new ReadyBenchmark(), args);
  }
}
