package dev.skiff.benchmarks;

import dev.skiff.benchmarks.measure.Figure;
import dev.skiff.benchmarks.measure.MachineDescription;
import dev.skiff.benchmarks.report.Comparison;
import dev.skiff.benchmarks.report.ComparisonFile;
import dev.skiff.benchmarks.report.ComparisonReport;
import dev.skiff.benchmarks.report.Target;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The one table of a {@code benchmarks/run.sh all} run: every scenario's rows, as the scenarios appended them to the
 * run's rows file, plus a "not yet measured" row for each scenario that could not run, with why.
 */
@Command(name = "summary", mixinStandardHelpOptions = true,
    description = "Prints and writes the combined table of the scenarios' rows (benchmarks/run.sh all calls it).")
public final class SummaryBenchmark implements Callable<Integer> {
  /** The case and anchor a placeholder row shows for a scenario that was not measured. */
  private static final Map<String, List<String>> PLACEHOLDERS = Map.of(
      "5", List.of("end to end: the examples' suite, `mvn test` wall time", "the same suite on Testcontainers"));
  private static final Map<String, Target> TARGETS = Map.of("5", Target.ratioAtMost(0.2));

  @Mixin
  private BenchmarkOptions options;

  @Option(names = "--from", required = true, paramLabel = "FILE", description = "The rows file the scenarios wrote.")
  private Path from;

  @Option(names = "--not-measured", paramLabel = "SCENARIO=WHY",
      description = "A scenario that was not measured and why, e.g. 5=\"needs the examples module\" (repeatable).")
  private Map<String, String> notMeasured = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    DockerSide docker = DockerSide.connect(options, false);
    List<Comparison> rows = new ArrayList<>(ComparisonFile.read(from));
    List<String> notes = new ArrayList<>();
    notes.add("All scenarios of issue 6 in one run (benchmarks/run.sh all); each scenario's own page under"
        + " benchmarks/results/ says how it measured. Ratios are Skiff's median over the anchor's.");
    notMeasured.forEach((scenario, why) -> {
      List<String> placeholder = PLACEHOLDERS.getOrDefault(scenario, List.of("scenario " + scenario, "-"));
      rows.add(new Comparison(scenario, placeholder.get(0), Figure.Unit.SECONDS, Optional.empty(),
          placeholder.get(1), Optional.empty(), TARGETS.getOrDefault(scenario, Target.NONE)));
      notes.add("Scenario " + scenario + ": not yet measured: " + why);
    });
    rows.sort((a, b) -> a.scenario().compareTo(b.scenario()));  // stable: each scenario keeps its own order
    notes.addAll(options.notes);
    docker.missing().ifPresent(why -> notes.add("No docker comparison: " + why));
    ReportOutput.publish(options, "summary", new ComparisonReport("Skiff vs Testcontainers on Docker",
        LocalDate.now(), notes, MachineDescription.ofThisMachine(docker.describe()), rows));
    return 0;
  }

  public static void main(String[] args) {
    ReportOutput.main("summary", new SummaryBenchmark(), args);
  }
}
