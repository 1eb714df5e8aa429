package dev.skiff.engine.wait;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ExecResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits until the image's HEALTHCHECK passes, run as Docker runs it: {@code CMD} as given, {@code CMD-SHELL} through
 * {@code /bin/sh -c}, each check bounded by its timeout, one per interval. The first check runs at once rather than
 * after an interval, so tests do not wait for nothing. Failures within the start period do not count; after
 * {@code retries} failures in a row the container is unhealthy and the wait fails without waiting for the timeout.
 */
public final class HealthcheckWaitStrategy extends TimedWaitStrategy {
  HealthcheckWaitStrategy(Optional<Duration> startupTimeout) {
    super(startupTimeout);
  }

  @Override
  public HealthcheckWaitStrategy withStartupTimeout(Duration timeout) {
    return new HealthcheckWaitStrategy(Optional.of(timeout));
  }

  @Override
  void waitUntilReady(Container container, Duration timeout) throws ContainerNotReadyException {
    HealthcheckPlan plan;
    try {
      plan = HealthcheckPlan.of(container.imageConfig().healthcheck(), container.image());
    } catch (IllegalArgumentException e) {
      throw ContainerNotReadyException.of(container, "the image's HEALTHCHECK", Duration.ZERO, e.getMessage());
    }
    ExecutorService checks = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "skiff-healthcheck-" + container.name());
      t.setDaemon(true);
      return t;
    });
    try {
      Polling.await(container, new HealthProbe(container, plan, checks), timeout);
    } finally {
      checks.shutdownNow();
    }
  }

  /** Counts failures as Docker does; hopeless once the container is unhealthy. */
  private static final class HealthProbe extends Probe {
    private final Container container;
    private final HealthcheckPlan plan;
    private final ExecutorService checks;
    private final long startPeriodEnds;
    private long nextCheck = System.nanoTime();
    private int failuresInARow;
    private volatile Optional<String> unhealthy = Optional.empty();

    HealthProbe(Container container, HealthcheckPlan plan, ExecutorService checks) {
      this.container = container;
      this.plan = plan;
      this.checks = checks;
      this.startPeriodEnds = System.nanoTime() + plan.startPeriod().toNanos();
    }

    @Override
    String awaited() {
      return "the image's " + plan.describe() + " to pass";
    }

    @Override
    boolean ready() throws Exception {
      if (System.nanoTime() - nextCheck < 0) {
        return false; // polled often to notice an exit at once, but checked once per interval
      }
      Future<ExecResult> check = checks.submit(() -> container.exec(plan.command().toArray(String[]::new)));
      boolean passed;
      try {
        ExecResult result = check.get(plan.timeout().toNanos(), TimeUnit.NANOSECONDS);
        observe(CommandWaitStrategy.describe(result));
        passed = result.exitCode() == 0;
      } catch (TimeoutException e) {
        check.cancel(true);
        observe("the check ran longer than its " + Durations.describe(plan.timeout()) + " timeout");
        passed = false;
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      } finally {
        nextCheck = System.nanoTime() + plan.interval().toNanos(); // as Docker: the interval runs from a check's end
      }
      if (passed) {
        return true;
      }
      if (System.nanoTime() - startPeriodEnds >= 0 && ++failuresInARow >= plan.retries()) {
        unhealthy = Optional.of("the container is unhealthy: " + failuresInARow + " checks failed in a row (last: "
            + lastObservation() + ")");
      }
      return false;
    }

    @Override
    Optional<String> hopeless() {
      return unhealthy;
    }

  }

  @Override
  public String toString() {
    return "Wait.forHealthcheck()";
  }
}
