package dev.skiff.junit;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.lock.LockFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one {@link Engine} of a test run, in the root context's store: created on first use, closed (removing any
 * container still there) when the run ends, failed or not.
 */
final class SharedEngine implements ExtensionContext.Store.CloseableResource {
  private static final AtomicInteger THREADS = new AtomicInteger();

  final Engine engine;
  /** Starts a test's containers side by side; threads are created as needed, so starts never queue. */
  final ExecutorService starter = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "skiff-junit-start-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private SharedEngine(Engine engine) {
    this.engine = engine;
  }

  static SharedEngine of(ExtensionContext context) {
    return context.getRoot().getStore(SkiffExtension.NAMESPACE)
        .getOrComputeIfAbsent(SharedEngine.class, k -> create(), SharedEngine.class);
  }

  private static SharedEngine create() {
    EngineConfig config;
    try {
      config = EngineConfig.fromEnvironment(defaults -> defaults.lockFile(Path.of(LockFile.DEFAULT_LOCATION)));
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException("Skiff's configuration is invalid: " + e.getMessage()
          + ". Fix the system property, SKIFF_* environment variable or skiff.properties entry.", e);
    }
    try {
      return new SharedEngine(Engine.create(config));
    } catch (IOException | RuntimeException e) {
      throw new ExtensionConfigurationException("Skiff cannot open its engine (image store " + config.store() + "): "
          + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    starter.shutdownNow();
    engine.close();
  }
}
