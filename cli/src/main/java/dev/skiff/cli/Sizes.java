package dev.skiff.cli;

import java.util.Locale;

/** Human-readable byte counts for tables. */
final class Sizes {
  private Sizes() {}

  static String human(long bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    double v = bytes;
    int u = 0;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
