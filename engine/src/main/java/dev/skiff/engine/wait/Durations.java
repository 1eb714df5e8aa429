package dev.skiff.engine.wait;

import java.time.Duration;

/** Durations as messages show them: {@code 250 ms}, {@code 2 s}, {@code 1.5 s}. */
final class Durations {
  private Durations() {}

  static String describe(Duration d) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
