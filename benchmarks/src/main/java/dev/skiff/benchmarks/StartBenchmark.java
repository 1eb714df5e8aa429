package dev.skiff.benchmarks;

import dev.skiff.benchmarks.Interleaved.Contestant;
import dev.skiff.benchmarks.measure.Figure;
import dev.skiff.benchmarks.measure.MachineDescription;
import dev.skiff.benchmarks.measure.Samples;
import dev.skiff.benchmarks.measure.Timed;
import dev.skiff.benchmarks.report.Comparison;
import dev.skiff.benchmarks.report.ComparisonReport;
import dev.skiff.benchmarks.report.Target;
import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scenario 1: a trivial container (busybox {@code true}) created, started, run to its exit and removed, with the
 * image already local. Skiff's engine in this JVM against Testcontainers (with its one-shot start-up check and
 * with its default one), {@code docker run --rm}, and the floor of starting any process from Java.
 */
@Command(name = "start-benchmark", mixinStandardHelpOptions = true,
    description = "Scenario 1: busybox true, start → exit → remove, warm: Skiff vs Testcontainers vs docker run.")
public final class StartBenchmark implements Callable<Integer> {
  static final String SKIFF = "Skiff";
  static final String TC_ONE_SHOT = "Testcontainers, one-shot check";
  static final String TC_DEFAULT = "Testcontainers, default check";
  static final String DOCKER_RUN = "docker run --rm";
  static final String FLOOR = "ProcessBuilder(\"true\")";

  @Mixin
  private BenchmarkOptions options;

  @Option(names = "--image", defaultValue = "library/busybox:1.35",
      description = "The image in the registry (default: ${DEFAULT-VALUE}).")
  private String repository;

  @Option(names = "--target", defaultValue = "0.02857",
      description = "PASS when Skiff's median over Testcontainers' is at most this (default: 1/35).")
  private double target;

  @Override
  public Integer call() throws Exception {
    options.check();
    String image = options.image(repository);
    DockerSide docker = DockerSide.connect(options, true);
    MachineDescription machine = MachineDescription.ofThisMachine(docker.describe());
    try (Engine engine = Engine.create(EngineConfig.builder().store(options.workDir().resolve("store")).build())) {
      engine.pull(image);
      ContainerSpec spec = ContainerSpec.builder(image).command("true").build();
      List<Contestant> contestants = new ArrayList<>();
      contestants.add(new Contestant(SKIFF, () -> List.of(Timed.run(() -> skiff(engine, spec)).elapsed())));
      if (docker.present()) {
        docker.cli().run("pull", "-q", image);
        DockerImageName name = DockerImageName.parse(image);
        contestants.add(new Contestant(TC_ONE_SHOT, () -> List.of(Timed.run(() -> testcontainersOneShot(name))
            .elapsed())));
        contestants.add(new Contestant(TC_DEFAULT, () -> List.of(Timed.run(() -> testcontainersDefault(name))
            .elapsed())));
        contestants.add(new Contestant(DOCKER_RUN, () -> List.of(Timed.run(() -> docker.cli().run("run", "--rm",
            image, "true")).elapsed())));
      }
      contestants.add(new Contestant(FLOOR, () -> List.of(Timed.run(StartBenchmark::processFloor).elapsed())));
      Map<String, List<Samples>> times = Interleaved.run(contestants, options.warmup, options.rounds, "busybox true");
      Figure skiff = ms(times.get(SKIFF));
      String what = "busybox true: start → exit → remove";
      List<Comparison> rows = new ArrayList<>();
      for (String anchor : List.of(TC_ONE_SHOT, TC_DEFAULT, DOCKER_RUN)) {
        rows.add(Comparison.of("1", what, skiff, anchor, Optional.ofNullable(times.get(anchor)).map(StartBenchmark::ms),
            anchor.startsWith("Testcontainers") ? Target.ratioAtMost(target) : Target.NONE));
      }
      rows.add(Comparison.of("1", what, skiff, FLOOR + " (floor)", Optional.of(ms(times.get(FLOOR))), Target.NONE));

      List<String> notes = new ArrayList<>();
      notes.add("Scenario 1, " + image + " `true` with the image already local: " + options.rounds
          + " rounds after " + options.warmup + " warm-up, contestants interleaved (the first one rotates);"
          + " median (min–max) wall-clock milliseconds.");
      notes.add("Skiff: Engine.create(spec), start(), waitFor(), remove(), in this JVM, one engine for the run."
          + " Testcontainers: new GenericContainer(image).withCommand(\"true\"); one-shot: with"
          + " OneShotStartupCheckStrategy (it polls the container's state once a second), start(), close();"
          + " default: start() (IsRunningStartupCheckStrategy), then the daemon's wait for the exit, close()."
          + " docker run --rm: the CLI, a new process each time. ProcessBuilder: the floor of any process start.");
      notes.addAll(options.notes);
      docker.missing().ifPresent(why -> notes.add("No docker comparison: " + why));
      ReportOutput.publish(options, "start", new ComparisonReport("Scenario 1: trivial container", LocalDate.now(),
          notes, machine, rows));
    }
    return 0;
  }

  private static Void skiff(Engine engine, ContainerSpec spec) throws Exception {
    Container c = engine.create(spec);
    try {
      c.start();
      int exit = c.waitFor(Duration.ofSeconds(30));
      if (exit != 0) {
        throw new IllegalStateException(spec.image() + " `true` exited with " + exit + " under Skiff: " + c.logs());
      }
    } finally {
      c.remove();
    }
    return null;
  }

  private static Void testcontainersOneShot(DockerImageName image) {
    try (GenericContainer<?> c = new GenericContainer<>(image).withCommand("true")
        .withStartupCheckStrategy(new OneShotStartupCheckStrategy())) {
      c.start();
    }
    return null;
  }

  private static Void testcontainersDefault(DockerImageName image) throws InterruptedException {
    try (GenericContainer<?> c = new GenericContainer<>(image).withCommand("true")) {
      c.start();
      int exit = c.getDockerClient().waitContainerCmd(c.getContainerId()).start().awaitStatusCode();
      if (exit != 0) {
        throw new IllegalStateException(image + " `true` exited with " + exit + " under Testcontainers");
      }
    }
    return null;
  }

  private static Void processFloor() throws IOException, InterruptedException {
    new ProcessBuilder("true").start().waitFor();
    return null;
  }

  static Figure ms(List<Samples> samples) {
    return samples.get(0).in(Figure.Unit.MILLISECONDS);
  }

  public static void main(String[] args) {
    ReportOutput.main("start-benchmark", new StartBenchmark(), args);
  }
}
