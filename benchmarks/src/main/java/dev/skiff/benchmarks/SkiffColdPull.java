package dev.skiff.benchmarks;

import dev.skiff.benchmarks.measure.Timed;
import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.store.ImageRecord;
import dev.skiff.engine.fs.TreeDeleter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A cold Skiff pull: a new engine over an empty store, which is deleted afterwards. */
final class SkiffColdPull {
  private final Path workDir;

  /** Stores are made under {@code workDir}; keep it on the same file system as Docker's data root. */
  SkiffColdPull(Path workDir) {
    this.workDir = workDir;
  }

  /** Times creating the engine and pulling {@code reference}; closing the engine and cleaning up are not timed. */
  Timed<ImageRecord> pull(String reference) throws IOException {
    Files.createDirectories(workDir);
    Path store = Files.createTempDirectory(workDir, "store-");
    try {
      long start = System.nanoTime();
      try (Engine engine = Engine.create(EngineConfig.builder().store(store).build())) {
        return Timed.since(start, engine.pull(reference));
      }
    } finally {
      TreeDeleter.delete(store);
    }
  }
}
