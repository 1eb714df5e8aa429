package dev.skiff.benchmarks;

import dev.skiff.benchmarks.Interleaved.Contestant;
import dev.skiff.benchmarks.MemoryBenchmark.MemoryOptions;
import dev.skiff.benchmarks.measure.Figure;
import dev.skiff.benchmarks.measure.MachineDescription;
import dev.skiff.benchmarks.measure.Samples;
import dev.skiff.benchmarks.report.Comparison;
import dev.skiff.benchmarks.report.ComparisonReport;
import dev.skiff.benchmarks.report.Target;
import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scenario 6: many containers at once. N idle busybox containers started in parallel (one thread each) until all
 * run, then all stopped and removed in parallel, for each N; and the memory with the largest N alive.
 */
@Command(name = "scale-benchmark", mixinStandardHelpOptions = true,
    description = "Scenario 6: 20 containers started in parallel; 50 alive at once: Skiff vs Testcontainers.")
public final class ScaleBenchmark implements Callable<Integer> {
  private static final String SKIFF = "Skiff";
  private static final String TESTCONTAINERS = "Testcontainers";

  @Mixin
  private BenchmarkOptions options;

  @Mixin
  private MemoryOptions memory;

  @Option(names = "--counts", split = ",", defaultValue = "20,50",
      description = "How many containers to start at once, per case (default: ${DEFAULT-VALUE}).")
  private List<Integer> counts;

  @Option(names = "--memory-rounds", defaultValue = "3",
      description = "Rounds of the memory figure with the largest count alive (default: ${DEFAULT-VALUE}).")
  private int memoryRounds;

  @Override
  public Integer call() throws Exception {
    options.check();
    DockerSide docker = DockerSide.connect(options, true);
    MachineDescription machine = MachineDescription.ofThisMachine(docker.describe());
    String image = options.image(MemoryOptions.IMAGE);
    MemoryMeasurement measurement = memory.measurement(options, image, docker);
    List<Comparison> rows = new ArrayList<>();
    try (Engine engine = Engine.create(EngineConfig.builder().store(options.workDir().resolve("store")).build())) {
      ContainerSpec spec = ContainerSpec.builder(image).command("sleep", "600").build();
      DockerImageName imageName = DockerImageName.parse(image);
      List<Contestant> contestants = new ArrayList<>();
      contestants.add(new Contestant(SKIFF, () -> each(counts, n -> skiff(engine, spec, n))));
      if (docker.present()) {
        contestants.add(new Contestant(TESTCONTAINERS, () -> each(counts, n -> testcontainers(imageName, n))));
      }
      Map<String, List<Samples>> times = Interleaved.run(contestants, options.warmup, options.rounds, "scale");
      for (int i = 0; i < counts.size(); i++) {
        int measure = 2 * i;
        rows.add(Comparison.of("6", counts.get(i) + " started in parallel, until all run", ms(times.get(SKIFF), measure),
            TESTCONTAINERS + " GenericContainer", Optional.ofNullable(times.get(TESTCONTAINERS)).map(s -> ms(s, measure)),
            Target.NONE));
        rows.add(Comparison.of("6", counts.get(i) + " stopped + removed in parallel",
            ms(times.get(SKIFF), measure + 1), TESTCONTAINERS + " stop()",
            Optional.ofNullable(times.get(TESTCONTAINERS)).map(s -> ms(s, measure + 1)), Target.NONE));
      }
    }
    int most = counts.stream().mapToInt(Integer::intValue).max().orElseThrow();
    List<MemoryMeasurement.Round> memoryRoundsDone = new ArrayList<>();
    for (int round = 1; round <= memoryRounds; round++) {
      MemoryMeasurement.Round r = measurement.measure(most);
      System.out.println("scale memory round " + round + "/" + memoryRounds + ": " + MemoryBenchmark.describe(r));
      memoryRoundsDone.add(r);
    }
    rows.add(MemoryBenchmark.row("6", most, memoryRoundsDone, docker, Target.NONE));

    List<String> notes = new ArrayList<>();
    notes.add("Scenario 6, " + image + " `sleep 600`, images local: " + options.rounds + " rounds after "
        + options.warmup + " warm-up, Skiff and Testcontainers interleaved; median (min–max). Each count's"
        + " containers are started from as many threads at once (Skiff: Engine.run; Testcontainers:"
        + " GenericContainer.start() with its default checks) and timed until the last one runs, then stopped"
        + " and removed the same way (Skiff: Container.close(); Testcontainers: stop()).");
    notes.add("Memory with " + most + " alive: " + memoryRounds + " rounds, measured as in scenario 4.");
    notes.addAll(MemoryOptions.definition(memory, memoryRoundsDone));
    notes.addAll(options.notes);
    docker.missing().ifPresent(why -> notes.add("No docker comparison: " + why));
    ReportOutput.publish(options, "scale", new ComparisonReport("Scenario 6: scale", LocalDate.now(), notes,
        machine, rows));
    return 0;
  }

  /** Start and stop times for each count, in order: start₁, stop₁, start₂, stop₂... */
  private static List<Duration> each(List<Integer> counts, CountedTrial trial) throws Exception {
    List<Duration> out = new ArrayList<>();
    for (int n : counts) {
      out.addAll(trial.run(n));
    }
    return out;
  }

  @FunctionalInterface
  private interface CountedTrial {
    List<Duration> run(int count) throws Exception;
  }

  private static List<Duration> skiff(Engine engine, ContainerSpec spec, int count) throws Exception {
    return startThenStop(count, () -> engine.run(spec), Container::close);
  }

  private static List<Duration> testcontainers(DockerImageName image, int count) throws Exception {
    return startThenStop(count, () -> {
      GenericContainer<?> c = new GenericContainer<>(image).withCommand("sleep", "600");
      try {
        c.start();
      } catch (RuntimeException e) {
        c.stop();
        throw e;
      }
      return c;
    }, GenericContainer::stop);
  }

  @FunctionalInterface
  private interface Stopper<T> {
    void stop(T container) throws Exception;
  }

  /** Starts {@code count} containers from as many threads, then stops them likewise; both timed. */
  private static <T> List<Duration> startThenStop(int count, Callable<T> start, Stopper<T> stop) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    List<T> started = new ArrayList<>();
    try {
      long t0 = System.nanoTime();
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        futures.add(pool.submit(start));
      }
      Exception failure = null;
      for (Future<T> f : futures) {
        try {
          started.add(f.get());
        } catch (Exception e) {
          failure = failure == null ? e : failure;
        }
      }
      Duration startTime = Duration.ofNanos(System.nanoTime() - t0);
      long t1 = System.nanoTime();
      List<Future<?>> stops = new ArrayList<>();
      for (T c : started) {
        stops.add(pool.submit(() -> {
          stop.stop(c);
          return null;
        }));
      }
      for (Future<?> f : stops) {
        f.get();
      }
      Duration stopTime = Duration.ofNanos(System.nanoTime() - t1);
      if (failure != null) {
        throw failure;
      }
      return List.of(startTime, stopTime);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Figure ms(List<Samples> samples, int measure) {
    return samples.get(measure).in(Figure.Unit.MILLISECONDS);
  }

  public static void main(String[] args) {
    ReportOutput.main("scale-benchmark", new ScaleBenchmark(), args);
  }
}
