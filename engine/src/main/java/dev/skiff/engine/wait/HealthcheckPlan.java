package dev.skiff.engine.wait;

import dev.skiff.engine.image.ImageConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An image's HEALTHCHECK as the health probe runs it: the command line, and Docker's defaults (30 s interval,
 * 30 s timeout, 3 retries, no start period) where the image leaves a value 0.
 *
 * @param command the command to exec: {@code CMD} arguments as given, {@code CMD-SHELL} through {@code /bin/sh -c}
 * @param retries consecutive failures, after the start period, that make the container unhealthy
 */
record HealthcheckPlan(List<String> command, Duration interval, Duration timeout, Duration startPeriod,
    int retries) {
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final int DEFAULT_RETRIES = 3;

  HealthcheckPlan {
    command = List.copyOf(command);
  }

  /**
   * The plan for {@code image}'s healthcheck.
   *
   * @throws IllegalArgumentException naming the image when it has no healthcheck to run
   */
  static HealthcheckPlan of(Optional<ImageConfig.Healthcheck> healthcheck, String image) {
    if (healthcheck.isEmpty()) {
      throw new IllegalArgumentException("the image " + image + " has no HEALTHCHECK; wait for something else, e.g."
          + " Wait.forSuccessfulCommand(...) or Wait.forListeningPort()");
    }
    ImageConfig.Healthcheck h = healthcheck.get();
    List<String> test = h.test();
    String kind = test.isEmpty() ? "" : test.get(0);
    List<String> command = switch (kind) {
      case "CMD" -> test.subList(1, test.size());
      case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
      case "NONE" -> throw new IllegalArgumentException("the image " + image + " disables its HEALTHCHECK (NONE);"
          + " wait for something else, e.g. Wait.forSuccessfulCommand(...) or Wait.forListeningPort()");
      default -> throw new IllegalArgumentException("the HEALTHCHECK of " + image + " is " + test + "; it should start"
          + " with CMD, CMD-SHELL or NONE");
    };
    if (command.isEmpty() || command.get(command.size() - 1).isBlank()) {
      throw new IllegalArgumentException("the HEALTHCHECK of " + image + " has no command: " + test);
    }
    return new HealthcheckPlan(command,
        orDefault(h.interval(), DEFAULT_INTERVAL),
        orDefault(h.timeout(), DEFAULT_TIMEOUT),
        h.startPeriod(),
        h.retries() > 0 ? h.retries() : DEFAULT_RETRIES);
  }

  private static Duration orDefault(Duration d, Duration fallback) {
    return d.isZero() || d.isNegative() ? fallback : d;
  }

  /** As Docker's {@code docker inspect} shows the check, for messages. */
  String describe() {
    return "HEALTHCHECK " + command + " (every " + Durations.describe(interval) + ", timeout "
        + Durations.describe(timeout) + ", " + retries + " retries" + (startPeriod.isZero() ? ""
        : ", start period " + Durations.describe(startPeriod)) + ")";
  }
}
