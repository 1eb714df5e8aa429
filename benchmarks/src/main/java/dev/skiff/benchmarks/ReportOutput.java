package dev.skiff.benchmarks;

import dev.skiff.benchmarks.report.ComparisonFile;
import dev.skiff.benchmarks.report.ComparisonReport;
import dev.skiff.benchmarks.report.ResultFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/** Where a scenario's report goes: the terminal, benchmarks/results, and the run's summary rows. */
final class ReportOutput {
  private ReportOutput() {}

  /** Prints {@code report}, writes {@code name-<date>.{csv,md}} and appends its rows to --rows if given. */
  static void publish(BenchmarkOptions options, String name, ComparisonReport report) throws IOException {
    System.out.println();
    System.out.print(report.text());
    List<Path> files = ResultFiles.write(options.results, name, report.date(), report.csv(), report.markdown());
    System.out.println("\nWrote " + files.get(0) + " and " + files.get(1));
    if (options.rows != null) {
      ComparisonFile.append(options.rows, report.rows());
    }
  }

  /** Runs a scenario's picocli command and exits with its code, errors as one line each (they say how to fix). */
  static void main(String command, Object scenario, String[] args) {
    int code = new CommandLine(scenario)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          // The exceptions here say what failed and how to fix it; a stack trace would bury that.
          cmd.getErr().println(command + ": " + e.getMessage());
          if (Boolean.getBoolean("skiff.debug")) {
            e.printStackTrace(cmd.getErr());
          }
          return 1;
        })
        .execute(args);
    System.exit(code);
  }
}
