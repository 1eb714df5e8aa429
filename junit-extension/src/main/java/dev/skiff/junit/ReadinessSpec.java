package dev.skiff.junit;

import dev.skiff.engine.wait.Wait;
import dev.skiff.engine.wait.WaitStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@link Image#waitFor()}: each entry one readiness check, all of which must hold. */
final class ReadinessSpec {
  private static final String NOTATION = "\"ports\", \"log:REGEX\", \"log:REGEX:TIMES\", \"http:/PATH\","
      + " \"http:/PATH:STATUS\", \"command:SHELL COMMAND\" or \"healthcheck\"";

  private ReadinessSpec() {}

  /**
   * The strategy for {@code entries}; none given means listening ports when {@code hasPorts}, else nothing to await.
   *
   * @throws IllegalArgumentException naming the entry that is not in the notation
   */
  static Optional<WaitStrategy> parse(String[] entries, boolean hasPorts, String origin) {
    if (entries.length == 0) {
      return hasPorts ? Optional.of(Wait.forListeningPort()) : Optional.empty();
    }
    List<WaitStrategy> strategies = new ArrayList<>();
    for (String entry : entries) {
      strategies.add(one(entry, hasPorts));
    }
    return Optional.of(strategies.size() == 1 ? strategies.get(0)
        : Wait.allOf(strategies.toArray(WaitStrategy[]::new)));
  }

  private static WaitStrategy one(String entry, boolean hasPorts) {
    int colon = entry.indexOf(':');
    String kind = colon < 0 ? entry : entry.substring(0, colon);
    String argument = colon < 0 ? "" : entry.substring(colon + 1);
    switch (kind) {
      case "ports" -> {
        if (!hasPorts) {
          throw bad(entry, "there are no ports to listen on; add ports = {...}");
        }
        return Wait.forListeningPort();
      }
      case "log" -> {
        int last = argument.lastIndexOf(':');
        if (last > 0 && argument.substring(last + 1).matches("[1-9][0-9]{0,3}")) {
          return Wait.forLogMessage(argument.substring(0, last), Integer.parseInt(argument.substring(last + 1)));
        }
        return Wait.forLogMessage(requireArgument(entry, argument), 1);
      }
      case "http" -> {
        if (!hasPorts) {
          throw bad(entry, "an HTTP check goes through a published port; add ports = {...}");
        }
        if (!argument.startsWith("/")) {
          throw bad(entry, "the path must start with '/', e.g. \"http:/health\"");
        }
        int last = argument.lastIndexOf(':');
        if (last > 0 && argument.substring(last + 1).matches("[1-5][0-9][0-9]")) {
          return Wait.forHttp(argument.substring(0, last)).forStatusCode(Integer.parseInt(argument.substring(last + 1)));
        }
        return Wait.forHttp(argument);
      }
      case "command" -> {
        return Wait.forSuccessfulCommand("/bin/sh", "-c", requireArgument(entry, argument));
      }
      case "healthcheck" -> {
        return Wait.forHealthcheck();
      }
      default -> throw bad(entry, "it is none of " + NOTATION);
    }
  }

  private static String requireArgument(String entry, String argument) {
    if (argument.isEmpty()) {
      throw bad(entry, "it needs what to look for after the ':'");
    }
    return argument;
  }

  private static IllegalArgumentException bad(String entry, String why) {
    return new IllegalArgumentException("waitFor entry '" + entry + "' cannot be used: " + why);
  }
}
