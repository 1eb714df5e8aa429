package dev.skiff.engine.testing;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** An engine over a store of its own per test class, closed (with its containers and networks) after the class. */
public abstract class EngineIT {
  @TempDir protected static Path store;
  protected static Engine engine;

  @BeforeAll
  static void startEngine() throws IOException {
    engine = Engine.create(EngineConfig.builder().store(store).build());
  }

  @AfterAll
  static void closeEngine() {
    engine.close();
  }
}
