package dev.skiff.benchmarks.report;

import dev.skiff.benchmarks.measure.Figure;
import java.util.Locale;
import java.util.Optional;

/**
 * What a row of a comparison must reach to PASS: a ratio Skiff/anchor at most some value, an absolute limit on
 * Skiff's own figure, or nothing (the row is for information).
 */
public record Target(Kind kind, double limit) {
  public enum Kind { RATIO_AT_MOST, SKIFF_AT_MOST, NONE }

  public static final Target NONE = new Target(Kind.NONE, 0);

  /** PASS when Skiff's median over the anchor's is at most {@code ratio}, e.g. 1/35. */
  public static Target ratioAtMost(double ratio) {
    return new Target(Kind.RATIO_AT_MOST, ratio);
  }

  /** PASS when Skiff's median is at most {@code limit}, in the row's unit (e.g. 30 MiB). */
  public static Target skiffAtMost(double limit) {
    return new Target(Kind.SKIFF_AT_MOST, limit);
  }

  /** PASS, MISS, or n/a when there is no target or, for a ratio, no anchor figure. */
  public String verdict(Figure skiff, Optional<Figure> anchor) {
    return switch (kind) {
      case NONE -> "n/a";
      case SKIFF_AT_MOST -> skiff.median() <= limit ? "PASS" : "MISS";
      case RATIO_AT_MOST -> anchor.map(a -> skiff.ratioTo(a) <= limit ? "PASS" : "MISS").orElse("n/a");
    };
  }

  /** E.g. {@code ≤ 1/35}, {@code ≤ 0.50}, {@code Skiff ≤ 30 MiB}, or {@code -}. */
  public String describe(Figure.Unit unit) {
    return switch (kind) {
      case NONE -> "-";
      case SKIFF_AT_MOST -> "Skiff ≤ " + number(limit) + " " + unit.symbol();
      case RATIO_AT_MOST -> "≤ " + (isUnitFraction() ? "1/" + Math.round(1 / limit)
          : String.format(Locale.ROOT, "%.2f", limit));
    };
  }

  /** 1/35 reads better than 0.03; a limit within 1% of some 1/n is shown so. */
  private boolean isUnitFraction() {
    double n = 1 / limit;
    return limit < 0.34 && Math.abs(n - Math.rint(n)) < 0.01 * n;
  }

  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString(Math.round(d)) : String.format(Locale.ROOT, "%.2f", d);
  }
}
