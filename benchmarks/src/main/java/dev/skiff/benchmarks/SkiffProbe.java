package dev.skiff.benchmarks;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** MemoryProbe's skiff mode, in a class of its own so that the baseline mode never loads Skiff's classes. */
final class SkiffProbe {
  private SkiffProbe() {}

  static void run(Path store, String image, int count) throws Exception {
    try (Engine engine = Engine.create(EngineConfig.builder().store(store).build())) {
      ContainerSpec spec = ContainerSpec.builder(image).command("sleep", "600").build();
      List<Container> containers = new ArrayList<>();
      try {
        for (int i = 0; i < count; i++) {
          containers.add(engine.run(spec));
        }
        Set<Long> pids = new HashSet<>();
        for (Container c : containers) {
          pids.add(c.pid());
        }
        MemoryProbe.report(pids);
      } finally {
        for (Container c : containers) {
          c.remove();
        }
      }
    }
  }
}
