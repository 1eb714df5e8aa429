package dev.skiff.engine.runtime;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Not a test: the median of busybox {@code true} create, start, exit and remove (warm store) next to the
 * ProcessBuilder("true") floor. Run with the test class path; args: [runs] [store].
 */
public final class RuntimeBenchmark {
  private RuntimeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Path store = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("skiff-bench");
    String image = TestEnvironment.image("library/busybox:1.35");
    try (Engine engine = Engine.create(EngineConfig.builder().store(store).build())) {
      engine.pull(image);
      ContainerSpec spec = ContainerSpec.builder(image).command("true").build();
      for (int i = 0; i < 20; i++) {
        container(engine, spec);
        processFloor();
      }
      long[] container = new long[runs];
      long[] floor = new long[runs];
      for (int i = 0; i < runs; i++) {
        container[i] = container(engine, spec);
        floor[i] = processFloor();
      }
      double all = (runs + 20) * 1e6;
      System.out.printf("mean per phase, ms: create %.2f  start %.2f  wait %.2f  remove %.2f%n", PHASES[0] / all,
          PHASES[1] / all, PHASES[2] / all, PHASES[3] / all);
      System.out.printf("busybox true: create+start+exit+remove  median %.2f ms  (min %.2f, max %.2f, n=%d)%n",
          median(container), min(container), max(container), runs);
      System.out.printf("ProcessBuilder(\"true\") floor            median %.2f ms  (min %.2f, max %.2f, n=%d)%n",
          median(floor), min(floor), max(floor), runs);
      ContainerSpec limited = ContainerSpec.builder(image).command("true")
          .memory(dev.skiff.engine.cgroup.MemorySize.parse("64m")).pidsLimit(100).build();
      long[] withLimits = new long[runs];
      for (int i = 0; i < runs; i++) {
        withLimits[i] = container(engine, limited);
      }
      System.out.printf("the same with -m 64m --pids-limit 100    median %.2f ms  (min %.2f, max %.2f, n=%d)%n",
          median(withLimits), min(withLimits), max(withLimits), runs);
      long[] exec = new long[runs];
      try (Container c = engine.run(ContainerSpec.builder(image).command("sleep", "1000").build())) {
        for (int i = 0; i < runs + 20; i++) {
          long t = System.nanoTime();
          c.exec("true");
          exec[Math.max(0, i - 20)] = System.nanoTime() - t;
        }
      }
      System.out.printf("exec true in a running busybox           median %.2f ms  (min %.2f, max %.2f, n=%d)%n",
          median(exec), min(exec), max(exec), runs);
    }
  }

  /** Summed nanoseconds of create, start, wait and remove, to see where the time goes. */
  private static final long[] PHASES = new long[4];

  private static long container(Engine engine, ContainerSpec spec) throws Exception {
    long[] t = new long[5];
    t[0] = System.nanoTime();
    Container c = engine.create(spec);
    t[1] = System.nanoTime();
    c.start();
    t[2] = System.nanoTime();
    if (c.waitFor(Duration.ofSeconds(10)) != 0) {
      throw new IllegalStateException("true exited with " + c.exitCode());
    }
    t[3] = System.nanoTime();
    c.remove();
    t[4] = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      PHASES[i] += t[i + 1] - t[i];
    }
    return t[4] - t[0];
  }

  private static long processFloor() throws Exception {
    long t = System.nanoTime();
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return System.nanoTime() - t;
  }

  private static double median(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[s.length / 2] / 1e6;
  }

  private static double min(long[] nanos) {
    return Arrays.stream(nanos).min().orElse(0) / 1e6;
  }

  private static double max(long[] nanos) {
    return Arrays.stream(nanos).max().orElse(0) / 1e6;
  }
}
