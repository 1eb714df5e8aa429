package dev.skiff.benchmarks.report;

import dev.skiff.benchmarks.measure.Figure;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One row of a benchmark's result: Skiff's figure next to what users would otherwise use (the anchor).
 *
 * @param scenario the scenario number, e.g. {@code 1}
 * @param what the case measured, e.g. {@code busybox true: start, exit, remove}
 * @param unit the unit of both figures
 * @param skiff empty when Skiff could not be measured yet (the row then says so instead of a number)
 * @param anchor what Skiff is compared with, e.g. {@code Testcontainers, one-shot check}
 * @param anchorFigure empty when the anchor was not measured (no Docker)
 */
public record Comparison(String scenario, String what, Figure.Unit unit, Optional<Figure> skiff, String anchor,
    Optional<Figure> anchorFigure, Target target) {

  public Comparison {
    for (Optional<Figure> f : List.of(skiff, anchorFigure)) {
      if (f.isPresent() && f.get().unit() != unit) {
        throw new IllegalArgumentException("Row '" + what + "' is in " + unit.symbol() + " but has a figure in "
            + f.get().unit().symbol());
      }
    }
  }

  /** A row with both figures measured in the same unit ({@code anchorFigure} may still be empty). */
  public static Comparison of(String scenario, String what, Figure skiff, String anchor,
      Optional<Figure> anchorFigure, Target target) {
    return new Comparison(scenario, what, skiff.unit(), Optional.of(skiff), anchor, anchorFigure, target);
  }

  /** Skiff's median over the anchor's, when both were measured. */
  public Optional<Double> ratio() {
    return skiff.flatMap(s -> anchorFigure.map(s::ratioTo));
  }

  /** E.g. {@code 0.03}, or {@code -} without both figures. */
  public String ratioText() {
    return ratio().map(r -> String.format(Locale.ROOT, r < 0.1 ? "%.3f" : "%.2f", r)).orElse("-");
  }

  /** PASS, MISS, or n/a (no target, or a figure it needs is missing). */
  public String verdict() {
    return skiff.map(s -> target.verdict(s, anchorFigure)).orElse("n/a");
  }
}
