package dev.skiff.benchmarks;

import dev.skiff.benchmarks.Interleaved.Contestant;
import dev.skiff.benchmarks.measure.Figure;
import dev.skiff.benchmarks.measure.MachineDescription;
import dev.skiff.benchmarks.measure.Samples;
import dev.skiff.benchmarks.report.Comparison;
import dev.skiff.benchmarks.report.ComparisonReport;
import dev.skiff.benchmarks.report.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Scenario 5: the examples' test suite ({@code examples/}, on Skiff) against the same suite written for
 * Testcontainers ({@code benchmarks/e2e-testcontainers/}, on the private dockerd), {@code mvn -o -q -B test} wall time
 * each, rounds interleaved, and the part of each that is Maven's start-up and build.
 */
@Command(name = "e2e-benchmark", mixinStandardHelpOptions = true,
    description = "Scenario 5: the examples' suite, `mvn test` wall time: Skiff vs the same suite on Testcontainers.")
public final class EndToEndBenchmark implements Callable<Integer> {
  static final String SKIFF = "Skiff";
  static final String TESTCONTAINERS = "Testcontainers";
  static final String ANCHOR = "the same suite on Testcontainers";
  /** A whole suite run takes a minute or more: fewer rounds than the other scenarios' defaults. */
  static final int DEFAULT_ROUNDS = 3;
  static final int DEFAULT_WARMUP = 1;
  static final String TWIN = "benchmarks/e2e-testcontainers";

  @Spec
  private CommandSpec spec;

  @Mixin
  private BenchmarkOptions options;

  @Option(names = "--root", paramLabel = "DIR", defaultValue = ".",
      description = "The Skiff repository: examples/ and " + TWIN + "/ under it (default: the current directory).")
  private Path root;

  @Option(names = "--mvn", defaultValue = "mvn", description = "The Maven executable (default: ${DEFAULT-VALUE}).")
  private String mvn;

  @Option(names = "--maven-repository", paramLabel = "DIR",
      description = "The local Maven repository holding Skiff's dependencies (default: ~/.m2/repository); the"
          + " benchmark installs Skiff into a hard-linked copy of it, never into it.")
  private Path userRepository = Path.of(System.getProperty("user.home"), ".m2", "repository");

  @Option(names = "--target", defaultValue = "0.2",
      description = "PASS when Skiff's median over Testcontainers' is at most this (default: 1/5).")
  private double target;

  @Override
  public Integer call() throws Exception {
    options.check();
    int rounds = roundsOrDefault();
    int warmup = warmupOrDefault();
    DockerSide docker = DockerSide.connect(options, false);
    MachineDescription machine = MachineDescription.ofThisMachine(docker.describe());
    Path logs = Files.createDirectories(options.workDir().resolve("e2e"));

    Path repository = InstalledSkiff.install(root, userRepository, options.workDir().resolve("m2"), mvn,
        logs.resolve("install.log"));
    List<Contestant> contestants = new ArrayList<>();
    contestants.add(contestant(skiffSuite(root, repository), logs));
    if (docker.present()) {
      contestants.add(contestant(testcontainersSuite(root, options.dockerHost), logs));
    }
    Map<String, List<Samples>> times = Interleaved.run(contestants, warmup, rounds, "mvn test");
    List<Comparison> rows = rows(times.get(SKIFF), Optional.ofNullable(times.get(TESTCONTAINERS)), target);

    List<String> notes = new ArrayList<>();
    notes.add("Scenario 5: " + rounds + " rounds after " + warmup + " warm-up, Skiff and Testcontainers"
        + " interleaved; median (min–max) wall-clock seconds of `mvn -o -q -B test` started from this process."
        + " Each round runs a suite twice: all its tests, then no test (`-Dtest=none`): Maven's own start and the"
        + " build's up-to-date checks (surefire then starts no test JVM); the tests alone are the difference, round by"
        + " round, test JVM included.");
    notes.add("Skiff: examples/ (PostgreSQL shared by the suite, Redis and MariaDB per class, MySQL for one test,"
        + " Node per class), run in examples/ as a user's project, with Skiff's jars installed before the rounds"
        + " into a local repository of the benchmark's own (" + repository + ": the user's, hard-linked), as"
        + " users get them from Maven Central. Testcontainers " + TWIN + ": the same test classes, methods and assertions over the"
        + " examples' own main classes, written as its users do (@Testcontainers, static @Container fields, a"
        + " singleton PostgreSQL in a base class, MySQLContainer started in the one test that needs it), Ryuk off."
        + " Both in parallel by the same junit-platform.properties, images from the test registry named in"
        + " .test-env (mysql:8.0 runs its MariaDB image on both sides).");
    notes.add("Warm: the warm-up rounds fill Skiff's store (examples/target/skiff-store) and the daemon's images;"
        + " with --warmup 0 the first round includes pulls. mvn's output: " + logs + ".");
    notes.addAll(options.notes);
    docker.missing().ifPresent(why -> notes.add("No docker comparison: " + why));
    ReportOutput.publish(options, "e2e", new ComparisonReport("Scenario 5: end to end", LocalDate.now(), notes,
        machine, rows));
    return 0;
  }

  static MavenSuite skiffSuite(Path root, Path repository) {
    return new MavenSuite(SKIFF, root.resolve("examples"), List.of("-Dmaven.repo.local=" + repository),
        Optional.empty(), Map.of());
  }

  static MavenSuite testcontainersSuite(Path root, String dockerHost) {
    return new MavenSuite(TESTCONTAINERS, root.resolve(TWIN), List.of(), Optional.empty(),
        DockerSide.testcontainersEnvironment(dockerHost));
  }

  /** A contestant whose try is the whole suite, then its start-up alone: two measures, in that order. */
  private Contestant contestant(MavenSuite suite, Path logs) {
    Path log = logs.resolve(suite.name() + ".log");
    Path startUpLog = logs.resolve(suite.name() + "-start-up.log");
    return new Contestant(suite.name(), () -> List.of(suite.run(mvn, false, log), suite.run(mvn, true, startUpLog)));
  }

  /**
   * The scenario's rows from each side's [whole run, start-up] samples: the whole run (against the target), the
   * start-up part, and the tests alone (the whole minus the start-up of the same round).
   */
  static List<Comparison> rows(List<Samples> skiff, Optional<List<Samples>> testcontainers, double target) {
    Function<List<Samples>, Figure> whole = s -> seconds(s.get(0));
    Function<List<Samples>, Figure> startUp = s -> seconds(s.get(1));
    Function<List<Samples>, Figure> tests = s -> seconds(difference(s.get(0), s.get(1)));
    return List.of(
        Comparison.of("5", "end to end: the examples' suite, `mvn test` wall time", whole.apply(skiff), ANCHOR,
            testcontainers.map(whole), Target.ratioAtMost(target)),
        Comparison.of("5", "of which Maven's start-up and build (`-Dtest=none`)", startUp.apply(skiff), ANCHOR,
            testcontainers.map(startUp), Target.NONE),
        Comparison.of("5", "the tests alone (wall time − start-up)", tests.apply(skiff), ANCHOR,
            testcontainers.map(tests), Target.NONE));
  }

  /** Round by round, {@code minuend - subtrahend}; both were taken in the same rounds. */
  static Samples difference(Samples minuend, Samples subtrahend) {
    List<Duration> a = minuend.values();
    List<Duration> b = subtrahend.values();
    if (a.size() != b.size()) {
      throw new IllegalArgumentException("Cannot subtract " + b.size() + " samples from " + a.size());
    }
    List<Duration> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(a.get(i).minus(b.get(i)));
    }
    return new Samples(out);
  }

  private static Figure seconds(Samples samples) {
    return samples.in(Figure.Unit.SECONDS);
  }

  /** --rounds if given, else this scenario's own default: the mixin's default suits millisecond scenarios. */
  int roundsOrDefault() {
    return given("--rounds") ? options.rounds : DEFAULT_ROUNDS;
  }

  int warmupOrDefault() {
    return given("--warmup") ? options.warmup : DEFAULT_WARMUP;
  }

  private boolean given(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  public static void main(String[] args) {
    ReportOutput.main("e2e-benchmark", new EndToEndBenchmark(), args);
  }
}
