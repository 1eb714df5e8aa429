package dev.skiff.junit;

import static dev.skiff.junit.Samples.ids;
import static dev.skiff.junit.Samples.saw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.runtime.Container;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Classes and methods run concurrently on 4 threads: shared containers start once, per-test ones are never shared. */
class ParallelIT {
  static final AtomicInteger RUNNING = new AtomicInteger();
  static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();

  /** Holds each test until four run at once (or 10 s pass), so a run that is not parallel shows. */
  static void overlap(String test, Container suite, Container classwide, Container mine) throws InterruptedException {
    saw(test, "suite", suite);
    saw(test, "classwide-" + test.substring(0, 1), classwide);
    saw(test, "mine", mine);
    MOST_AT_ONCE.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
    try {
      Samples.eventually(Duration.ofSeconds(10), () -> MOST_AT_ONCE.get() >= 4);
    } finally {
      RUNNING.decrementAndGet();
    }
  }

  @Image(value = "busybox:1.35", name = "suite", command = {"sleep", "302"}, lifecycle = Lifecycle.PER_SUITE)
  @Image(value = "busybox:1.35", name = "classwide", command = {"sleep", "300"})
  @Image(value = "busybox:1.35", name = "mine", command = {"sleep", "300"}, lifecycle = Lifecycle.PER_TEST)
  static class First {
    @Test void a1(@Handle("suite") Container suite, @Handle("classwide") Container classwide,
        @Handle("mine") Container mine) throws Exception {
      overlap("a1", suite, classwide, mine);
    }

    @Test void a2(@Handle("suite") Container suite, @Handle("classwide") Container classwide,
        @Handle("mine") Container mine) throws Exception {
      overlap("a2", suite, classwide, mine);
    }

    @Test void a3(@Handle("suite") Container suite, @Handle("classwide") Container classwide,
        @Handle("mine") Container mine) throws Exception {
      overlap("a3", suite, classwide, mine);
    }

    @Test void a4(@Handle("suite") Container suite, @Handle("classwide") Container classwide,
        @Handle("mine") Container mine) throws Exception {
      overlap("a4", suite, classwide, mine);
    }
  }

  @Image(value = "busybox:1.35", name = "suite", command = {"sleep", "302"}, lifecycle = Lifecycle.PER_SUITE)
  @Image(value = "busybox:1.35", name = "classwide", command = {"sleep", "300"})
  static class Second {
    @Test
    @Image(value = "busybox:1.35", name = "mine", command = {"sleep", "300"})
    void b1(@Handle("suite") Container suite, @Handle("classwide") Container classwide,
        @Handle("mine") Container mine) throws Exception {
      overlap("b1", suite, classwide, mine);
    }

    @Test
    @Image(value = "busybox:1.35", name = "mine", command = {"sleep", "300"})
    void b2(@Handle("suite") Container suite, @Handle("classwide") Container classwide,
        @Handle("mine") Container mine) throws Exception {
      overlap("b2", suite, classwide, mine);
    }

    @Test
    @Image(value = "busybox:1.35", name = "mine", command = {"sleep", "300"})
    void b3(@Handle("suite") Container suite, @Handle("classwide") Container classwide,
        @Handle("mine") Container mine) throws Exception {
      overlap("b3", suite, classwide, mine);
    }

    @Test
    @Image(value = "busybox:1.35", name = "mine", command = {"sleep", "300"})
    void b4(@Handle("suite") Container suite, @Handle("classwide") Container classwide,
        @Handle("mine") Container mine) throws Exception {
      overlap("b4", suite, classwide, mine);
    }
  }

  @Test
  void sharedContainersStartOnceAndPerTestOnesAreNeverShared() {
    MOST_AT_ONCE.set(0);
    Samples.runInParallel(4, First.class, Second.class)
        .testEvents().assertStatistics(s -> s.started(8).succeeded(8));

    assertThat(MOST_AT_ONCE.get()).as("tests running at once").isGreaterThanOrEqualTo(4);
    assertThat(ids("suite")).hasSize(1);
    assertThat(ids("classwide-a")).hasSize(1);
    assertThat(ids("classwide-b")).hasSize(1).doesNotContainAnyElementsOf(ids("classwide-a"));
    assertThat(ids("mine")).hasSize(8);
    Samples.assertAllRemoved();
  }
}
