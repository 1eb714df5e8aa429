package dev.skiff.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A table of text cells, rendered for a terminal, as GitHub markdown or as CSV.
 *
 * @param header the column names
 * @param rows each as long as the header
 */
public record Table(List<String> header, List<List<String>> rows) {
  public Table {
    header = List.copyOf(header);
    rows = rows.stream().map(List::copyOf).toList();
    for (List<String> row : rows) {
      if (row.size() != header.size()) {
        throw new IllegalArgumentException("A row has " + row.size() + " cells but the table has " + header.size()
            + " columns " + header + ": " + row);
      }
    }
  }

  /** Columns padded to their widest cell, two spaces apart. */
  public String text() {
    int[] widths = new int[header.size()];
    for (List<String> line : lines()) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> line : lines()) {
      StringBuilder row = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        row.append(i == 0 ? "" : "  ").append(line.get(i)).append(" ".repeat(widths[i] - line.get(i).length()));
      }
      out.append(row.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** A GitHub-flavoured markdown table. */
  public String markdown() {
    StringBuilder out = new StringBuilder();
    out.append(markdownRow(header));
    out.append(markdownRow(header.stream().map(h -> "---").toList()));
    rows.forEach(row -> out.append(markdownRow(row)));
    return out.toString();
  }

  /** RFC 4180 CSV with a header line; cells with commas, quotes or line breaks are quoted. */
  public String csv() {
    return lines().stream()
        .map(line -> line.stream().map(Table::csvCell).collect(Collectors.joining(",")))
        .collect(Collectors.joining("\r\n", "", "\r\n"));
  }

  private List<List<String>> lines() {
    List<List<String>> all = new ArrayList<>(rows.size() + 1);
    all.add(header);
    all.addAll(rows);
    return all;
  }

  private static String markdownRow(List<String> cells) {
    return cells.stream().map(c -> c.replace("|", "\\|")).collect(Collectors.joining(" | ", "| ", " |\n"));
  }

  private static String csvCell(String cell) {
    if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
      return '"' + cell.replace("\"", "\"\"") + '"';
    }
    return cell;
  }
}
