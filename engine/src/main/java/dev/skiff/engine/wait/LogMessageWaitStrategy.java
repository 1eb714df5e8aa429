package dev.skiff.engine.wait;

import dev.skiff.engine.runtime.Container;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Waits until lines of the container's output (stdout and stderr, everything still buffered since it started)
 * contain a match of a regular expression a given number of times.
 */
public final class LogMessageWaitStrategy extends TimedWaitStrategy {
  private final Pattern pattern;
  private final int times;

  LogMessageWaitStrategy(Pattern pattern, int times, Optional<Duration> startupTimeout) {
    super(startupTimeout);
    if (times < 1) {
      throw new IllegalArgumentException("A log message must be awaited at least once, not " + times + " times");
    }
    this.pattern = pattern;
    this.times = times;
  }

  @Override
  public LogMessageWaitStrategy withStartupTimeout(Duration timeout) {
    return new LogMessageWaitStrategy(pattern, times, Optional.of(timeout));
  }

  @Override
  void waitUntilReady(Container container, Duration timeout) throws ContainerNotReadyException {
    Polling.await(container, new Probe() {
      @Override
      String awaited() {
        return "a log line matching '" + pattern + "' " + (times == 1 ? "once" : times + " times");
      }

      @Override
      boolean ready() {
        int seen = matchingLines(container.logs().stdout()) + matchingLines(container.logs().stderr());
        observe("seen " + seen + (seen == 1 ? " time" : " times"));
        return seen >= times;
      }
    }, timeout);
  }

  int matchingLines(String log) {
    int count = 0;
    for (String line : log.split("\n")) {
      if (pattern.matcher(line).find()) {
        count++;
      }
    }
    return count;
  }

  @Override
  public String toString() {
    return "Wait.forLogMessage(\"" + pattern + "\", " + times + ")";
  }
}
