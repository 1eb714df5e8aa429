package dev.skiff.junit;

import dev.skiff.engine.runtime.Container;
import java.util.Arrays;

/**
 * The last lines a container printed, attached to a failed test's exception as a suppressed one so that the report
 * shows what the container said. It has no stack trace: only its message matters.
 */
final class ContainerLogExcerpt extends Exception {
  static final int LINES = 50;

  ContainerLogExcerpt(Declaration declaration, Container container) {
    super(text(declaration, container), null, false, false);
  }

  private static String text(Declaration declaration, Container container) {
    StringBuilder text = new StringBuilder("Container ").append(declaration).append(", ").append(container)
        .append(container.isRunning() ? ", running" : container.exitCode().isPresent()
            ? ", exited with " + container.exitCode().getAsInt() : "")
        .append(':');
    append(text, "stdout", container.logs().stdout());
    append(text, "stderr", container.logs().stderr());
    return text.toString();
  }

  private static void append(StringBuilder text, String stream, String output) {
    if (output.isEmpty()) {
      text.append("\n--- ").append(stream).append(": (empty)");
      return;
    }
    String[] lines = output.split("\n");
    int from = Math.max(0, lines.length - LINES);
    text.append("\n--- ").append(stream).append(from > 0 ? ", last " + LINES + " lines:" : ":");
    Arrays.stream(lines, from, lines.length).forEach(line -> text.append('\n').append(line));
  }
}
