package dev.skiff.engine.runtime;

import static dev.skiff.engine.runtime.ContainerIT.BUSYBOX;
import static dev.skiff.engine.runtime.ContainerIT.TIMEOUT;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** An engine over a store of its own per test class, and the containers the runtime tests start. */
abstract class RuntimeIT {
  @TempDir static Path store;
  static Engine engine;

  @BeforeAll
  static void startEngine() throws IOException {
    engine = Engine.create(EngineConfig.builder().store(store).build());
  }

  @AfterAll
  static void closeEngine() {
    engine.close();
  }

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
