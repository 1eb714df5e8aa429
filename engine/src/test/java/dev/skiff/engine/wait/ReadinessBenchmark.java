package dev.skiff.engine.wait;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import dev.skiff.engine.testing.TestEnvironment;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Not a test: the median time from {@code Engine.run} to redis answering PING through its published port (warm
 * store), under each wait strategy that fits it. Run with the test class path; args: [runs] [store].
 */
public final class ReadinessBenchmark {
  private ReadinessBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path store = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("skiff-bench");
    String image = TestEnvironment.image("library/redis:7.0");
    Map<String, WaitStrategy> strategies = Map.of(
        "listening port", Wait.forListeningPort(),
        "log 'Ready to accept connections'", Wait.forLogMessage("Ready to accept connections", 1));
    try (Engine engine = Engine.create(EngineConfig.builder().store(store).build())) {
      engine.pull(image);
      for (Map.Entry<String, WaitStrategy> s : strategies.entrySet()) {
        ContainerSpec spec = ContainerSpec.builder(image).exposedPorts(6379).waitingFor(s.getValue()).build();
        for (int i = 0; i < 3; i++) {
          ready(engine, spec);
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
          nanos[i] = ready(engine, spec);
        }
        Arrays.sort(nanos);
        System.out.printf("redis run to PONG, waiting for %-34s median %.1f ms  (min %.1f, max %.1f, n=%d)%n",
            s.getKey(),
            nanos[runs / 2] / 1e6, nanos[0] / 1e6, nanos[runs - 1] / 1e6, runs);
      }
    }
  }

  private static long ready(Engine engine, ContainerSpec spec) throws Exception {
    long start = System.nanoTime();
    try (Container c = engine.run(spec); Socket redis = new Socket(c.host(), c.mappedPort(6379))) {
      redis.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = new String(redis.getInputStream().readNBytes(7), StandardCharsets.US_ASCII);
      if (!answer.equals("+PONG\r\n")) {
        throw new IllegalStateException("redis answered PING with '" + answer + "' once ready");
      }
      return System.nanoTime() - start;
    }
  }
}
