package dev.skiff.benchmarks.measure;

import java.util.List;
import java.util.Locale;

/**
 * A summary of repeated measurements of one quantity: median, min and max in one unit.
 *
 * @param median with an even count, the mean of the two middle values
 */
public record Figure(double median, double min, double max, Unit unit) {

  /** What a figure counts; values are stored in this unit. */
  public enum Unit {
    SECONDS("s"),
    MILLISECONDS("ms"),
    MEBIBYTES("MiB");

    private final String symbol;

    Unit(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    /** The unit whose symbol is {@code symbol}, e.g. {@code ms}. */
    public static Unit ofSymbol(String symbol) {
      for (Unit u : values()) {
        if (u.symbol.equals(symbol)) {
          return u;
        }
      }
      throw new IllegalArgumentException("Unknown unit '" + symbol + "'; known: s, ms, MiB");
    }
  }

  public Figure {
    if (min > median || median > max) {
      throw new IllegalArgumentException("A figure needs min ≤ median ≤ max, got " + min + ", " + median + ", " + max);
    }
  }

  /** The median, min and max of {@code values} (at least one), already in {@code unit}. */
  public static Figure of(List<Double> values, Unit unit) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("A figure needs at least one value");
    }
    List<Double> sorted = values.stream().sorted().toList();
    int mid = sorted.size() / 2;
    double median = sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    return new Figure(median, sorted.get(0), sorted.get(sorted.size() - 1), unit);
  }

  /** {@code median/other.median}; both must be in the same unit. */
  public double ratioTo(Figure other) {
    if (other.unit != unit) {
      throw new IllegalArgumentException("Cannot compare " + unit.symbol + " with " + other.unit.symbol);
    }
    return median / other.median;
  }

  /** E.g. {@code 412 ms (380–460)}: median with its unit, then min–max; a single value has no range. */
  public String summary() {
    String median = format(this.median) + " " + unit.symbol;
    return min == max ? median : median + " (" + format(min) + "–" + format(max) + ")";
  }

  /** Three significant digits at most, without exponent: 1234, 412, 41.2, 4.12, 0.41. */
  String format(double value) {
    double abs = Math.abs(value);
    String pattern = abs >= 100 ? "%.0f" : abs >= 10 ? "%.1f" : "%.2f";
    return String.format(Locale.ROOT, pattern, value);
  }
}
