package dev.skiff.engine.network;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.runtime.ContainerSpec;
import java.nio.file.Path;

/** Run by {@link NetworkIT} in a JVM of its own: a network with a sleeping member; prints "ready", awaits death. */
public final class ChildJvmNetwork {
  private ChildJvmNetwork() {}

  public static void main(String[] args) throws Exception {
    Engine engine = Engine.create(EngineConfig.builder().store(Path.of(args[0])).build());
    Network network = engine.createNetwork("doomed");
    engine.run(ContainerSpec.builder(args[1]).command("sleep", "1000").network(network, "member").build());
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
