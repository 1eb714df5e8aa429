package dev.skiff.engine.pull;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import java.nio.file.Path;

/** Pulls one image into a store and prints its manifest digest: the child process of {@link ConcurrentPullIT}. */
public final class PullMain {
  private PullMain() {}

  public static void main(String[] args) throws Exception {
    try (Engine engine = Engine.create(EngineConfig.builder().store(Path.of(args[0])).build())) {
      System.out.println(engine.pull(args[1]).manifestDigest());
    }
  }
}
