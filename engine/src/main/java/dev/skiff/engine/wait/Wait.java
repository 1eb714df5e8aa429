package dev.skiff.engine.wait;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The usual {@link WaitStrategy wait strategies}. Each waits at most the container spec's startup timeout (60 s by
 * default) unless given its own with {@code withStartupTimeout}, and fails at once when the container exits.
 *
 * <pre>{@code
 * ContainerSpec.builder("redis:7.0").exposedPorts(6379)
 *     .waitingFor(Wait.allOf(Wait.forListeningPort(), Wait.forLogMessage("Ready to accept connections", 1)))
 * }</pre>
 */
public final class Wait {
  private Wait() {}

  /** Every published TCP port listening inside the container. */
  public static ListeningPortWaitStrategy forListeningPort() {
    return new ListeningPortWaitStrategy(new int[0], Optional.empty());
  }

  /** These container ports listening inside the container, whether published or not. */
  public static ListeningPortWaitStrategy forListeningPorts(int... containerPorts) {
    if (containerPorts.length == 0) {
      throw new IllegalArgumentException("Name at least one port, or use Wait.forListeningPort() for the published"
          + " ones");
    }
    return new ListeningPortWaitStrategy(containerPorts, Optional.empty());
  }

  /**
   * {@code times} lines of the container's output (stdout or stderr, from its start) containing a match of
   * {@code regex}, as {@link java.util.regex.Matcher#find()} finds it.
   */
  public static LogMessageWaitStrategy forLogMessage(String regex, int times) {
    return new LogMessageWaitStrategy(Pattern.compile(regex), times, Optional.empty());
  }

  /**
   * An HTTP GET on {@code path} through the published port answering status 200; refine it with
   * {@link HttpWaitStrategy#forPort}, {@link HttpWaitStrategy#forStatusCode}, {@link HttpWaitStrategy#usingTls} ...
   */
  public static HttpWaitStrategy forHttp(String path) {
    return new HttpWaitStrategy(path);
  }

  /** {@code command} run inside the container exiting with 0. */
  public static CommandWaitStrategy forSuccessfulCommand(String... command) {
    return new CommandWaitStrategy(List.of(command), Optional.empty());
  }

  /** The image's HEALTHCHECK passing; fails at once when the image has none or sets NONE. */
  public static HealthcheckWaitStrategy forHealthcheck() {
    return new HealthcheckWaitStrategy(Optional.empty());
  }

  /** Each strategy in turn; the container is ready when all found it ready. */
  public static AllOfWaitStrategy allOf(WaitStrategy... strategies) {
    return new AllOfWaitStrategy(List.of(strategies), Optional.empty());
  }
}
