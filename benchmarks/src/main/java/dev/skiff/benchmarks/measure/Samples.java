package dev.skiff.benchmarks.measure;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Wall-clock times of repeated runs of one operation, in the order they were taken.
 *
 * @param values at least one
 */
public record Samples(List<Duration> values) {
  public Samples {
    values = List.copyOf(values);
    if (values.isEmpty()) {
      throw new IllegalArgumentException("Samples need at least one value");
    }
  }

  /** The middle value; with an even count, the mean of the two middle ones. */
  public Duration median() {
    List<Duration> sorted = values.stream().sorted().toList();
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(mid) : sorted.get(mid - 1).plus(sorted.get(mid)).dividedBy(2);
  }

  public Duration min() {
    return values.stream().min(Duration::compareTo).orElseThrow();
  }

  public Duration max() {
    return values.stream().max(Duration::compareTo).orElseThrow();
  }

  /** {@code median/other.median}, e.g. 0.42 when this takes 42% of the other's time. */
  public double ratioTo(Samples other) {
    return (double) median().toNanos() / other.median().toNanos();
  }

  /** The same values in {@code unit} (a time unit). */
  public Figure in(Figure.Unit unit) {
    double perNano = switch (unit) {
      case SECONDS -> 1e-9;
      case MILLISECONDS -> 1e-6;
      default -> throw new IllegalArgumentException("Times are not measured in " + unit.symbol());
    };
    return Figure.of(values.stream().map(d -> d.toNanos() * perNano).toList(), unit);
  }

  /** E.g. {@code 1.23 s (1.10–1.40)}: median, then min–max. */
  public String summary() {
    return seconds(median()) + " s (" + seconds(min()) + "–" + seconds(max()) + ")";
  }

  /** Seconds with two decimals, e.g. {@code 1.23}. */
  public static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2f", d.toNanos() / 1e9);
  }
}
