package dev.skiff.benchmarks.report;

import dev.skiff.benchmarks.measure.Figure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Comparison rows kept between benchmark processes, so that one summary can show every scenario of a run: one
 * tab-separated line per row (scenario, case, unit, Skiff's median/min/max, anchor, its median/min/max or empty,
 * target kind, target limit).
 */
public final class ComparisonFile {
  private static final int FIELDS = 12;

  private ComparisonFile() {}

  /** Adds {@code rows} at the end of {@code file}, creating it if needed. */
  public static void append(Path file, List<Comparison> rows) throws IOException {
    StringBuilder out = new StringBuilder();
    for (Comparison r : rows) {
      List<String> f = new ArrayList<>(List.of(r.scenario(), r.what(), r.unit().symbol()));
      f.addAll(numbers(r.skiff()));
      f.add(r.anchor());
      f.addAll(numbers(r.anchorFigure()));
      f.add(r.target().kind().name());
      f.add(Double.toString(r.target().limit()));
      out.append(String.join("\t", f.stream().map(ComparisonFile::clean).toList())).append('\n');
    }
    try {
      Files.writeString(file, out, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IOException("Cannot add rows to " + file.toAbsolutePath() + ": " + e, e);
    }
  }

  /** The rows in {@code file}, in the order they were appended. */
  public static List<Comparison> read(Path file) throws IOException {
    List<Comparison> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] f = lines.get(i).split("\t", -1);
      if (f.length != FIELDS) {
        throw new IOException(file + " line " + (i + 1) + " has " + f.length + " fields, not " + FIELDS
            + "; it was not written by ComparisonFile.append");
      }
      Figure.Unit unit = Figure.Unit.ofSymbol(f[2]);
      rows.add(new Comparison(f[0], f[1], unit, figure(f, 3, unit), f[6], figure(f, 7, unit),
          new Target(Target.Kind.valueOf(f[10]), Double.parseDouble(f[11]))));
    }
    return rows;
  }

  private static Optional<Figure> figure(String[] fields, int at, Figure.Unit unit) {
    return fields[at].isEmpty() ? Optional.empty() : Optional.of(new Figure(Double.parseDouble(fields[at]),
        Double.parseDouble(fields[at + 1]), Double.parseDouble(fields[at + 2]), unit));
  }

  private static List<String> numbers(Optional<Figure> figure) {
    return figure.map(f -> List.of(Double.toString(f.median()), Double.toString(f.min()), Double.toString(f.max())))
        .orElse(List.of("", "", ""));
  }

  /** Tabs and line breaks would split a field; case names never need them. */
  private static String clean(String field) {
    return field.replaceAll("[\t\r\n]", " ");
  }
}
