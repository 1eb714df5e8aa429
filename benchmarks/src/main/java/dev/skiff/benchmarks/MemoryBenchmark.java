package dev.skiff.benchmarks;

import dev.skiff.benchmarks.measure.Figure;
import dev.skiff.benchmarks.measure.MachineDescription;
import dev.skiff.benchmarks.report.Comparison;
import dev.skiff.benchmarks.report.ComparisonReport;
import dev.skiff.benchmarks.report.Target;
import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Scenario 4: the memory Skiff adds to a test JVM running N idle containers, against Docker's daemons. */
@Command(name = "memory-benchmark", mixinStandardHelpOptions = true,
    description = "Scenario 4: the engine's extra RSS with N containers vs dockerd + containerd + shims.")
public final class MemoryBenchmark implements Callable<Integer> {
  private static final double MIB = 1 << 20;

  @Mixin
  private BenchmarkOptions options;

  @Option(names = "--containers", defaultValue = "10",
      description = "Idle busybox containers running while memory is read (default: ${DEFAULT-VALUE}).")
  private int containers;

  @Option(names = "--target-mib", defaultValue = "30",
      description = "PASS when the engine's extra RSS is at most this many MiB (default: ${DEFAULT-VALUE}).")
  private double targetMib;

  @Mixin
  private MemoryOptions memory;

  @Override
  public Integer call() throws Exception {
    options.check();
    DockerSide docker = DockerSide.connect(options, false);
    MachineDescription machine = MachineDescription.ofThisMachine(docker.describe());
    String image = options.image(MemoryOptions.IMAGE);
    MemoryMeasurement measurement = memory.measurement(options, image, docker);
    List<MemoryMeasurement.Round> rounds = new ArrayList<>();
    for (int round = 1 - options.warmup; round <= options.rounds; round++) {
      MemoryMeasurement.Round r = measurement.measure(containers);
      System.out.println(String.format(Locale.ROOT, "memory %s: %s", round < 1 ? "warm-up" : "round " + round + "/"
          + options.rounds, describe(r)));
      if (round >= 1) {
        rounds.add(r);
      }
    }
    Comparison row = row("4", containers, rounds, docker, Target.skiffAtMost(targetMib));
    List<String> notes = new ArrayList<>();
    notes.add("Scenario 4, " + containers + " idle containers (" + image + " `sleep 600`): " + options.rounds
        + " rounds after " + options.warmup + " warm-up; median (min–max) MiB.");
    notes.addAll(MemoryOptions.definition(memory, rounds));
    notes.addAll(options.notes);
    docker.missing().ifPresent(why -> notes.add("No docker comparison: " + why));
    ReportOutput.publish(options, "memory", new ComparisonReport("Scenario 4: memory", LocalDate.now(), notes,
        machine, List.of(row)));
    return 0;
  }

  /** The comparison row for {@code rounds} of {@code count} containers. */
  static Comparison row(String scenario, int count, List<MemoryMeasurement.Round> rounds, DockerSide docker,
      Target target) {
    Figure skiff = Figure.of(rounds.stream().map(r -> r.skiffExtra() / MIB).toList(), Figure.Unit.MEBIBYTES);
    Optional<Figure> daemon = docker.present() ? Optional.of(Figure.of(
        rounds.stream().map(r -> r.docker().orElseThrow() / MIB).toList(), Figure.Unit.MEBIBYTES)) : Optional.empty();
    return Comparison.of(scenario, "RSS with " + count + " idle containers", skiff,
        "dockerd + containerd + " + count + " shims", daemon, target);
  }

  static String describe(MemoryMeasurement.Round r) {
    return String.format(Locale.ROOT, "baseline JVM %.1f MiB, Skiff JVM %.1f MiB, launchers %.1f MiB → Skiff extra"
        + " %.1f MiB%s", r.baselineJvm() / MIB, r.skiffJvm() / MIB, r.launchers() / MIB, r.skiffExtra() / MIB,
        r.docker().map(d -> String.format(Locale.ROOT, "; docker %.1f MiB", d / MIB)).orElse(""));
  }

  /** The memory options scenarios 4 and 6 share (a picocli mixin). */
  static final class MemoryOptions {
    static final String IMAGE = "library/busybox:1.35";

    @Option(names = "--docker-root", paramLabel = "DIR",
        description = "The private daemon's work directory; Docker's processes are those whose command line names"
            + " it (default: $SKIFF_BENCH_CACHE/docker, else /var/cache/skiff-bench/docker).")
    String dockerRoot;

    @Option(names = "--jvm-option", paramLabel = "FLAG",
        description = "A flag for the probe JVMs, the same for the baseline and for Skiff's (repeatable).")
    List<String> jvmOptions = List.of();

    MemoryMeasurement measurement(BenchmarkOptions options, String image, DockerSide docker) throws Exception {
      Path store = options.workDir().resolve("store");
      try (Engine engine = Engine.create(EngineConfig.builder().store(store).build())) {
        engine.pull(image);  // so that no probe pulls: only running containers is measured
      }
      if (docker.present()) {
        docker.cli().run("pull", "-q", image);
      }
      String root = dockerRoot != null ? dockerRoot : options.workDir().resolveSibling("docker").toString();
      return new MemoryMeasurement(image, store.toString(), docker.present() ? Optional.of(docker.cli())
          : Optional.empty(), root, jvmOptions);
    }

    /** The notes that define both sides' figures, with the medians of the Skiff figure's parts. */
    static List<String> definition(MemoryOptions memory, List<MemoryMeasurement.Round> rounds) {
      Figure baseline = Figure.of(rounds.stream().map(r -> r.baselineJvm() / MIB).toList(), Figure.Unit.MEBIBYTES);
      Figure jvm = Figure.of(rounds.stream().map(r -> r.skiffJvm() / MIB).toList(), Figure.Unit.MEBIBYTES);
      Figure launchers = Figure.of(rounds.stream().map(r -> r.launchers() / MIB).toList(), Figure.Unit.MEBIBYTES);
      return List.of(
          "Skiff's figure is the engine's extra RSS: the resident set of a JVM that opened an engine and started the"
              + " containers, minus that of a baseline JVM that loaded nothing of Skiff (same java, flags"
              + (memory.jvmOptions.isEmpty() ? " (JVM defaults)" : " " + memory.jvmOptions) + " and class path;"
              + " both after System.gc() and 0.5 s), plus the RSS of the engine's launcher processes (one per"
              + " container, the launcher server that forks them and its one spare launcher). The containers' own processes count on neither side. Medians: baseline JVM "
              + baseline.summary() + ", Skiff's JVM " + jvm.summary() + ", launchers " + launchers.summary() + ".",
          "Docker's figure: the RSS of every process whose command line names the private daemon's work directory"
              + " (dockerd, its containerd, one containerd-shim-runc-v2 per container), read 1 s after the last"
              + " `docker run -d` returned. RSS counts shared pages once per process on both sides.");
    }
  }

  public static void main(String[] args) {
    ReportOutput.main("memory-benchmark", new MemoryBenchmark(), args);
  }
}
