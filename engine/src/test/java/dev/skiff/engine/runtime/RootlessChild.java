package dev.skiff.engine.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Run by {@link RootlessIT} as the unprivileged test user. {@code run STORE RUNS.json}: runs each container to its
 * end, prints the results as one JSON line, then forgets every image and prunes the store. {@code hold STORE IMAGE}:
 * starts a container as uid 1000 that writes into its upper dir, prints {@code pid=PID dir=SHORT_ID} once it has,
 * and waits to be killed. {@code open STORE}: opens an engine (which removes dead JVMs' containers) and closes it.
 */
public final class RootlessChild {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RootlessChild() {}

  public static void main(String[] args) throws Exception {
    EngineConfig config = EngineConfig.builder().store(Path.of(args[1])).build();
    try (Engine engine = Engine.create(config)) {
      switch (args[0]) {
        case "run" -> run(engine, Path.of(args[2]));
        case "hold" -> hold(engine, args[2]);
        case "open" -> { }
        default -> throw new IllegalArgumentException(Arrays.toString(args));
      }
    }
  }

  private static void run(Engine engine, Path runs) throws Exception {
    List<RootlessRun.Result> results = new ArrayList<>();
    for (RootlessRun r : JSON.readValue(runs.toFile(), RootlessRun[].class)) {
      try (Container c = engine.run(r.spec())) {
        int code = c.waitFor(Duration.ofSeconds(60));
        results.add(new RootlessRun.Result(r.name(), code, c.logs().stdout(), c.logs().stderr()));
      }
    }
    System.out.println(JSON.writeValueAsString(results));
    for (var image : engine.images()) {
      engine.remove(image.reference());
    }
    engine.prune();
  }

  private static void hold(Engine engine, String image) throws Exception {
    Container c = engine.run(ContainerSpec.builder(image).user("1000:1000")
        .command("sh", "-c", "mkdir -p /tmp/by-1000/sub && echo x > /tmp/by-1000/sub/f && chmod 700 /tmp/by-1000"
            + " && echo ready && exec sleep 1000").build());
    while (!c.logs().stdout().contains("ready")) {
      if (!c.isRunning()) {
        throw new IllegalStateException("exited: " + c.logs().stderr());
      }
      Thread.sleep(10);
    }
    System.out.println("pid=" + c.pid() + " dir=" + c.shortId());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
