package dev.skiff.benchmarks.report;

import dev.skiff.benchmarks.measure.Figure;
import dev.skiff.benchmarks.measure.MachineDescription;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Comparison rows with the notes that say how they were measured and the machine they were measured on, rendered
 * for a terminal, as a markdown page and as CSV.
 *
 */
public record ComparisonReport(String title, LocalDate date, List<String> notes, MachineDescription machine,
    List<Comparison> rows) {

  private static final List<String> COLUMNS =
      List.of("scenario", "case", "Skiff", "anchor", "anchor's figure", "Skiff/anchor", "target", "result");

  /** Shown for a Skiff figure a row lacks; the report's notes say why. */
  static final String NOT_MEASURED = "not yet measured";

  public ComparisonReport {
    notes = List.copyOf(notes);
    rows = List.copyOf(rows);
  }

  /** The notes, then the table, as printed at the end of a run. */
  public String text() {
    return String.join("\n", notes) + (notes.isEmpty() ? "" : "\n\n") + table().text();
  }

  /** A page for benchmarks/results: title, notes, table, machine. */
  public String markdown() {
    StringBuilder md = new StringBuilder("# " + title + ", " + date + "\n\n");
    notes.forEach(n -> md.append(n).append("\n\n"));
    md.append(table().markdown()).append("\n## Machine\n\n");
    machine.fields().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    return md.toString();
  }

  /** One line per row with raw numbers in the row's unit, then the machine's fields, so that runs concatenate. */
  public String csv() {
    List<String> header = new ArrayList<>(List.of("date", "scenario", "case", "unit", "skiff_median", "skiff_min",
        "skiff_max", "anchor", "anchor_median", "anchor_min", "anchor_max", "ratio", "target", "result"));
    header.addAll(machine.fields().keySet());
    List<List<String>> lines = new ArrayList<>();
    for (Comparison r : rows) {
      List<String> line = new ArrayList<>(List.of(date.toString(), r.scenario(), r.what(), r.unit().symbol()));
      line.addAll(numbers(r.skiff()));
      line.add(r.anchor());
      line.addAll(numbers(r.anchorFigure()));
      line.add(r.ratio().map(d -> String.format(Locale.ROOT, "%.4f", d)).orElse(""));
      line.add(r.target().describe(r.unit()));
      line.add(r.verdict());
      line.addAll(machine.fields().values());
      lines.add(line);
    }
    return new Table(header, lines).csv();
  }

  Table table() {
    List<List<String>> lines = new ArrayList<>();
    for (Comparison r : rows) {
      lines.add(List.of(r.scenario(), r.what(), r.skiff().map(Figure::summary).orElse(NOT_MEASURED), r.anchor(),
          r.anchorFigure().map(Figure::summary).orElse("-"), r.ratioText(), r.target().describe(r.unit()),
          r.verdict()));
    }
    return new Table(COLUMNS, lines);
  }

  private static List<String> numbers(Optional<Figure> figure) {
    return figure.map(f -> List.of(raw(f.median()), raw(f.min()), raw(f.max()))).orElse(List.of("", "", ""));
  }

  private static String raw(double d) {
    return String.format(Locale.ROOT, "%.3f", d);
  }
}
