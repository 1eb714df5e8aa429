package dev.skiff.cli;

import java.util.List;
import java.util.function.BiConsumer;

/** Docker's {@code -e} options: {@code KEY=VALUE}, or {@code KEY} alone to pass skiff's own value (if set). */
final class EnvOptions {
  private EnvOptions() {}

  static void apply(List<String> options, BiConsumer<String, String> set) {
    for (String variable : options) {
      int eq = variable.indexOf('=');
      if (eq > 0) {
        set.accept(variable.substring(0, eq), variable.substring(eq + 1));
      } else if (System.getenv(variable) != null) {
        set.accept(variable, System.getenv(variable));
      }
    }
  }
}
