package dev.skiff.engine.store;

import static dev.skiff.engine.testing.TestEnvironment.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.image.ImageConfig;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's creation and a prune never interleave: creation holds the store's shared lock from finding the
 * image's layers until container.json records them, so a prune sees either no container or one that says what it
 * stacks.
 */
class CreationUnderPruneIT {
  @TempDir Path root;

  @Test
  void aCreationWaitsForAPruneInProgressThenRecordsWhatItStacks() throws Exception {
    String busybox = image("library/busybox:1.35");
    try (Engine engine = Engine.create(EngineConfig.builder().store(root).build())) {
      ImageRecord image = engine.pull(busybox);
      ImageConfig config = engine.inspect(busybox).orElseThrow().config();
      CompletableFuture<Container> created;
      try (StoreLock pruning = engine.store().exclusiveUse()) {
        created = CompletableFuture.supplyAsync(() -> {
          try {
            return engine.runtime().create(ContainerSpec.builder(busybox).command("true").build(), image, config);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        Thread.sleep(500);
        assertThat(created).as("created while a prune held the store").isNotDone();
        assertThat(containers()).isZero();
      }
      try (Container c = created.get(30, TimeUnit.SECONDS)) {
        List<Path> topFirst = new ArrayList<>(engine.store().rootfsLayers(image));
        Collections.reverse(topFirst);
        assertThat(containers()).isEqualTo(1);
        assertThat(engine.runtime().uses()).singleElement()
            .satisfies(use -> assertThat(use.lowerDirs()).containsExactlyElementsOf(topFirst));
      }
    }
  }

  private long containers() throws Exception {
    try (Stream<Path> dirs = Files.list(root.resolve("containers"))) {
      return dirs.count();
    }
  }
}
