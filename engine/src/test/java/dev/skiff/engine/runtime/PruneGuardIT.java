package dev.skiff.engine.runtime;

import static dev.skiff.engine.runtime.ContainerIT.BUSYBOX;
import static dev.skiff.engine.runtime.SnapshotIT.database;
import static dev.skiff.engine.runtime.SnapshotIT.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.store.ImageInUseException;
import dev.skiff.engine.store.ImageRecord;
import dev.skiff.engine.store.ImageStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forgetting an image and pruning while a container of it lives: the container keeps its files, and prune frees them
 * once it is removed. Each test has a store of its own, so prune's counts are exact.
 */
class PruneGuardIT {
  @TempDir Path store;

  private Engine engine() throws Exception {
    return Engine.create(EngineConfig.builder().store(store).build());
  }

  @Test
  void aRunningContainerKeepsTheLayersOfItsForgottenImageUntilItIsRemoved() throws Exception {
    try (Engine engine = engine()) {
      Container c = engine.run(ContainerSpec.builder(BUSYBOX).command("sleep", "1000").name("guarded").build());
      ImageRecord image = engine.pull(BUSYBOX);
      List<Path> layers = engine.store().rootfsLayers(image);
      String binBefore = sh(c, "ls /bin | wc -l");

      assertThatThrownBy(() -> engine.remove(BUSYBOX))
          .isInstanceOf(ImageInUseException.class)
          .hasMessageContaining("Cannot remove " + BUSYBOX)
          .hasMessageContaining("container(s) guarded")
          .hasMessageContaining("skiff rm -f guarded")
          .hasMessageContaining("--force");
      assertThat(engine.images()).as("refused: the record stays").hasSize(1);

      assertThat(engine.remove(BUSYBOX, true)).isTrue();
      assertThat(engine.images()).isEmpty();
      ImageStore.PruneResult kept = engine.prune();
      assertThat(kept.layers()).as("layers removed while in use").isZero();
      assertThat(kept.blobs()).as("manifest and config need no container").isEqualTo(2);
      assertThat(kept.kept()).isEqualTo(new ImageStore.Kept(image.layers().size(), 0, 0, 1));
      assertThat(layers).allSatisfy(dir -> assertThat(dir).isDirectory());
      assertThat(sh(c, "ls /bin | wc -l")).isEqualTo(binBefore);
      assertThat(sh(c, "echo alive | cat")).isEqualTo("alive\n");

      c.remove();
      ImageStore.PruneResult freed = engine.prune();
      assertThat(freed.layers()).isEqualTo(image.layers().size());
      assertThat(freed.kept()).isEqualTo(new ImageStore.Kept(0, 0, 0, 0));
      assertThat(layers).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }
  }

  @Test
  void aContainerKeepsTheSnapshotItStartedFromAndItsLayers() throws Exception {
    try (Engine engine = engine()) {
      Container c = engine.run(database("guard").name("from-snapshot").build());
      String key = engine.store().snapshots().list().get(0).key();
      Path files = engine.store().snapshots().files(key).orElseThrow();
      ImageRecord image = engine.pull(BUSYBOX);
      String initialised = sh(c, "cat /data/initialised");

      assertThatThrownBy(() -> engine.remove(BUSYBOX)).isInstanceOf(ImageInUseException.class)
          .hasMessageContaining("container(s) from-snapshot");
      assertThat(engine.remove(BUSYBOX, true)).isTrue();
      assertThat(engine.store().snapshots().list()).as("forced: the snapshot in use stays").hasSize(1);

      ImageStore.PruneResult kept = engine.prune();
      assertThat(kept.snapshots()).isZero();
      assertThat(kept.layers()).isZero();
      assertThat(kept.kept()).isEqualTo(new ImageStore.Kept(image.layers().size(), 0, 1, 1));
      assertThat(files.resolve("data/initialised")).isRegularFile();
      assertThat(sh(c, "cat /data/initialised; ls /home")).isEqualTo(initialised + "only\n");

      c.remove();
      ImageStore.PruneResult freed = engine.prune();
      assertThat(freed.snapshots()).isEqualTo(1);
      assertThat(freed.layers()).isEqualTo(image.layers().size());
      assertThat(engine.store().snapshots().list()).isEmpty();
      assertThat(files).doesNotExist();
    }
  }

  @Test
  void aCreatedContainerThatNeverStartedCountsAndAnotherTagOfTheImageMayGo() throws Exception {
    try (Engine engine = engine()) {
      Container c = engine.create(ContainerSpec.builder(BUSYBOX).command("true").name("created").build());
      String alias = BUSYBOX.replace(":1.35", ":1.35-alias");
      ImageRecord image = engine.pull(BUSYBOX);
      engine.store().putImage(new ImageRecord(alias, image.source(), image.indexDigest(), image.manifestDigest(),
          image.configDigest(), image.platform(), image.layers(), image.pulledAt()));

      assertThat(engine.containersUsing(alias)).as("busybox:1.35 keeps all its files").isEmpty();
      assertThat(engine.remove(alias)).isTrue();
      assertThat(engine.containersUsing(BUSYBOX)).containsExactly("created");
      assertThatThrownBy(() -> engine.remove(BUSYBOX)).isInstanceOf(ImageInUseException.class);

      assertThat(engine.remove(BUSYBOX, true)).isTrue();
      assertThat(engine.prune().kept().containers()).isEqualTo(1);
      assertThat(c.start().waitFor(ContainerIT.TIMEOUT)).as("it starts on the layers prune kept").isZero();
      c.remove();
      assertThat(engine.prune().layers()).isEqualTo(image.layers().size());
    }
  }
}
