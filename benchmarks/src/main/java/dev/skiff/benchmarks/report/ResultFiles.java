package dev.skiff.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/** Where a benchmark leaves its results: {@code <dir>/<name>-<date>.csv} and {@code .md}, replacing that day's. */
public final class ResultFiles {
  private ResultFiles() {}

  /** Writes both files and returns their paths, CSV first. */
  public static List<Path> write(Path dir, String name, LocalDate date, String csv, String markdown)
      throws IOException {
    try {
      Files.createDirectories(dir);
      Path csvFile = Files.writeString(dir.resolve(name + "-" + date + ".csv"), csv);
      Path mdFile = Files.writeString(dir.resolve(name + "-" + date + ".md"), markdown);
      return List.of(csvFile, mdFile);
    } catch (IOException e) {
      throw new IOException("Cannot write the " + name + " results under " + dir.toAbsolutePath() + ": " + e
          + "; pass a writable directory with --results", e);
    }
  }
}
