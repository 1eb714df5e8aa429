package dev.skiff.engine.network;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import dev.skiff.engine.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Not a test: medians of creating and closing a network, and of busybox {@code true} (create, start, exit, remove)
 * without a network, in one network and in two. Run with the test class path as root; args: [runs] [store].
 */
public final class NetworkBenchmark {
  private NetworkBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Path store = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("skiff-bench");
    String image = TestEnvironment.image("library/busybox:1.35");
    try (Engine engine = Engine.create(EngineConfig.builder().store(store).build());
        Network a = engine.createNetwork("bench-a");
        Network b = engine.createNetwork("bench-b")) {
      engine.pull(image);
      ContainerSpec none = ContainerSpec.builder(image).command("true").build();
      ContainerSpec one = ContainerSpec.builder(image).command("true").network(a, "x").build();
      ContainerSpec two = ContainerSpec.builder(image).command("true").network(a).network(b).build();
      long[][] t = new long[4][runs];
      for (int i = -20; i < runs; i++) {
        long start = System.nanoTime();
        engine.createNetwork("bench").close();
        long network = System.nanoTime() - start;
        long[] containers = {container(engine, none), container(engine, one), container(engine, two)};
        if (i >= 0) {
          t[0][i] = network;
          for (int k = 0; k < 3; k++) {
            t[k + 1][i] = containers[k];
          }
        }
      }
      String[] names = {"createNetwork + close", "busybox true, no network", "busybox true, one network",
          "busybox true, two networks"};
      for (int k = 0; k < 4; k++) {
        Arrays.sort(t[k]);
        System.out.printf("%-28s median %.2f ms  (min %.2f, max %.2f, n=%d)%n", names[k], t[k][runs / 2] / 1e6,
            t[k][0] / 1e6, t[k][runs - 1] / 1e6, runs);
      }
    }
  }

  private static long container(Engine engine, ContainerSpec spec) throws Exception {
    long start = System.nanoTime();
    try (Container c = engine.create(spec)) {
      c.start();
      if (c.waitFor(Duration.ofSeconds(30)) != 0) {
        throw new IllegalStateException("busybox true failed: " + c.logs().stderr());
      }
    }
    return System.nanoTime() - start;
  }
}
