package dev.skiff.engine.runtime;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.cgroup.MemorySize;
import java.nio.file.Path;

/**
 * Run by {@link JvmDeathIT} and {@link CgroupIT} in a JVM of its own: {@code STORE IMAGE [MEMORY_LIMIT]} starts
 * {@code sleep 1000}, prints its pid, then waits to be killed.
 */
public final class ChildJvmContainer {
  private ChildJvmContainer() {}

  public static void main(String[] args) throws Exception {
    Engine engine = Engine.create(EngineConfig.builder().store(Path.of(args[0])).build());
    ContainerSpec.Builder spec = ContainerSpec.builder(args[1]).command("sleep", "1000");
    if (args.length > 2) {
      spec.memory(MemorySize.parse(args[2]));
    }
    Container c = engine.run(spec.build());
    System.out.println("pid=" + c.pid() + " dir=" + c.shortId());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
