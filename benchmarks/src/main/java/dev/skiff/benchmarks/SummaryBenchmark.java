package dev.skiff.benchmarks;

import dev.skiff.benchmarks.measure.MachineDescription;
import dev.skiff.benchmarks.report.Comparison;
import dev.skiff.benchmarks.report.ComparisonFile;
import dev.skiff.benchmarks.report.ComparisonReport;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The one table of a {@code benchmarks/run.sh all} run: every scenario's rows, as the scenarios appended them to the
 * run's rows file.
 */
@Command(name = "summary", mixinStandardHelpOptions = true,
    description = "Prints and writes the combined table of the scenarios' rows (benchmarks/run.sh all calls it).")
public final class SummaryBenchmark implements Callable<Integer> {
  @Mixin
  private BenchmarkOptions options;

  @Option(names = "--from", required = true, paramLabel = "FILE", description = "The rows file the scenarios wrote.")
  private Path from;

  @Override
  public Integer call() throws Exception {
    DockerSide docker = DockerSide.connect(options, false);
    List<Comparison> rows = new ArrayList<>(ComparisonFile.read(from));
    List<String> notes = new ArrayList<>();
    notes.add("All scenarios of issue 6 in one run (benchmarks/run.sh all); each scenario's own page under"
        + " benchmarks/results/ says how it measured. Ratios are Skiff's median over the anchor's.");
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
