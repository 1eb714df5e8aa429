package dev.skiff.engine.wait;

import dev.skiff.engine.runtime.Container;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Waits until lines of the container's output (stdout and stderr, from its start as far as still buffered) contain
 * a match of a regular expression a given number of times.
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
    AtomicInteger seen = new AtomicInteger();
    AtomicBoolean waiting = new AtomicBoolean(true);
    // Followers get the lines buffered so far, then each new one; logs keep their followers, so stop counting after.
    container.logs().follow(line -> {
      if (waiting.get() && pattern.matcher(line).find()) {
        seen.incrementAndGet();
      }
    });
    try {
      Polling.await(container, new Probe(Probe.CHEAP_CHECK_INTERVAL) {
        @Override
        String awaited() {
          return "a log line matching '" + pattern + "' " + (times == 1 ? "once" : times + " times");
        }

        @Override
        boolean ready() {
          int count = seen.get();
          observe("seen " + count + (count == 1 ? " time" : " times"));
          return count >= times;
        }
      }, timeout);
    } finally {
      waiting.set(false);
    }
  }

  @Override
  public String toString() {
    return "Wait.forLogMessage(\"" + pattern + "\", " + times + ")";
  }
}
