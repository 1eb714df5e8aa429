package dev.skiff.engine.runtime;

import static dev.skiff.engine.runtime.ContainerIT.BUSYBOX;
import static dev.skiff.engine.runtime.ContainerIT.TIMEOUT;

import dev.skiff.engine.testing.EngineIT;

/** An engine over a store of its own per test class, and the containers the runtime tests start. */
abstract class RuntimeIT extends EngineIT {
  /** Runs {@code spec} to its end and returns the container, exited but not removed. */
  static Container runToExit(ContainerSpec.Builder spec) throws Exception {
    Container c = engine.run(spec.build());
    c.waitFor(TIMEOUT);
    return c;
  }

  /** A running busybox container that sleeps until removed. */
  static ContainerSpec.Builder sleeping() {
    return ContainerSpec.builder(BUSYBOX).command("sleep", "1000");
  }
}
