package dev.skiff.engine.runtime;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import java.nio.file.Path;

/** Run by {@link JvmDeathIT} in a JVM of its own: starts {@code sleep 1000}, prints its pid, then waits to be killed. */
public final class ChildJvmContainer {
  private ChildJvmContainer() {}

  public static void main(String[] args) throws Exception {
    Engine engine = Engine.create(EngineConfig.builder().store(Path.of(args[0])).build());
    Container c = engine.run(ContainerSpec.builder(args[1]).command("sleep", "1000").build());
    System.out.println("pid=" + c.pid() + " dir=" + c.shortId());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
