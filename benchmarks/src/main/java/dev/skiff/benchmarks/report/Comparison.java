package dev.skiff.benchmarks.report;

import dev.skiff.benchmarks.measure.Figure;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of a benchmark's result: Skiff's figure next to what users would otherwise use (the anchor).
 *
 * @param scenario the scenario number, e.g. {@code 1}
 * @param what the case measured, e.g. {@code busybox true: start, exit, remove}
 * @param anchor what Skiff is compared with, e.g. {@code Testcontainers, one-shot check}
 * @param anchorFigure empty when the anchor was not measured (no Docker)
 */
public record Comparison(String scenario, String what, Figure skiff, String anchor, Optional<Figure> anchorFigure,
    Target target) {

  public Comparison {
    Objects.requireNonNull(skiff, "skiff");
    anchorFigure.ifPresent(a -> {
      if (a.unit() != skiff.unit()) {
        throw new IllegalArgumentException("Row '" + what + "': Skiff in " + skiff.unit().symbol() + " but "
            + anchor + " in " + a.unit().symbol());
      }
    });
  }

  /** Skiff's median over the anchor's, when the anchor was measured. */
  public Optional<Double> ratio() {
    return anchorFigure.map(skiff::ratioTo);
  }

  /** E.g. {@code 0.03}, or {@code -} without an anchor. */
  public String ratioText() {
    return ratio().map(r -> String.format(Locale.ROOT, r < 0.1 ? "%.3f" : "%.2f", r)).orElse("-");
  }

  public String verdict() {
    return target.verdict(skiff, anchorFigure);
  }
}
