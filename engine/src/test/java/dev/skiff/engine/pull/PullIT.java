package dev.skiff.engine.pull;

import static dev.skiff.engine.testing.TestEnvironment.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.image.ImageConfig;
import dev.skiff.engine.image.ImageNameSubstitution;
import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.image.Platform;
import dev.skiff.engine.layer.RootfsFlattener;
import dev.skiff.engine.store.ContainerUse;
import dev.skiff.engine.store.ImageInUseException;
import dev.skiff.engine.store.ImageRecord;
import dev.skiff.engine.store.ImageStore;
import dev.skiff.engine.testing.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pulls every test image from the real local registry and checks what lands in the store. */
class PullIT {
  @TempDir static Path sharedStore;
  static Engine shared;

  @BeforeAll
  static void startEngine() throws IOException {
    shared = Engine.create(EngineConfig.builder().store(sharedStore).build());
  }

  @AfterAll
  static void closeEngine() {
    shared.close();
  }

  static Engine engine(Path store) throws IOException {
    return Engine.create(EngineConfig.builder().store(store).build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"library/busybox:1.35", "library/busybox:1.35-docker", "library/redis:7.0",
      "library/redis:7.0-docker", "library/postgres:15", "library/postgres:15-docker", "library/mariadb:10.11",
      "library/mariadb:10.11-docker", "library/node:20", "library/node:20-docker", "library/node:18"})
  void pullsEveryTestImage(String name, @TempDir Path work) throws IOException {
    ImageRecord record = shared.pull(image(name));

    assertThat(record.layers()).isNotEmpty();
    for (Path dir : shared.store().rootfsLayers(record)) {
      assertThat(dir).isDirectory();
    }
    ImageConfig config = shared.inspect(image(name)).orElseThrow().config();
    assertThat(config.diffIds()).hasSameSizeAs(record.layers());
    assertThat(config.architecture()).isEqualTo("amd64");
    Path rootfs = flatten(shared.store(), record, work);
    assertThat(rootfs.resolve("bin/sh")).exists();
  }

  @Test
  void dockerAndOciFlavoursHoldTheSameLayers() throws IOException {
    ImageRecord oci = shared.pull(image("library/redis:7.0"));
    ImageRecord docker = shared.pull(image("library/redis:7.0-docker"));

    assertThat(docker.manifestDigest()).isNotEqualTo(oci.manifestDigest());
    assertThat(docker.layers()).extracting(ImageRecord.Layer::diffId)
        .containsExactlyElementsOf(oci.layers().stream().map(ImageRecord.Layer::diffId).toList());
    assertThat(docker.layers().get(0).mediaType()).startsWith("application/vnd.docker.");
    assertThat(oci.layers().get(0).mediaType()).startsWith("application/vnd.oci.");
  }

  @Test
  void imagesShareTheirBaseLayerInTheStore() throws IOException {
    ImageRecord redis = shared.pull(image("library/redis:7.0"));
    ImageRecord postgres = shared.pull(image("library/postgres:15"));

    assertThat(redis.layers().get(0).diffId()).isEqualTo(postgres.layers().get(0).diffId());
    assertThat(shared.store().rootfsLayers(redis).get(0)).isEqualTo(shared.store().rootfsLayers(postgres).get(0));
  }

  @Test
  void imageConfigIsReadAsWritten() throws IOException {
    shared.pull(image("skiff-test/layers:1"));
    ImageConfig c = shared.inspect(image("skiff-test/layers:1")).orElseThrow().config();

    assertThat(c.user()).isEqualTo("1000:1000");
    assertThat(c.env()).contains("FIXTURE=layers");
    assertThat(c.entrypoint()).containsExactly("/bin/tool");
    assertThat(c.cmd()).containsExactly("--flag");
    assertThat(c.workingDir()).isEqualTo("/home/app");
    assertThat(c.exposedPorts()).containsExactlyInAnyOrder("8080/tcp", "9090/udp");
    assertThat(c.labels()).containsEntry("dev.skiff.fixture", "layers");
    assertThat(c.stopSignal()).contains("SIGINT");
    assertThat(c.healthcheck()).hasValueSatisfying(h -> {
      assertThat(h.test()).containsExactly("CMD-SHELL", "true");
      assertThat(h.retries()).isEqualTo(3);
      assertThat(h.interval().toMillis()).isEqualTo(1000);
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "1-docker", "1-nomt"})
  void layersFixtureBecomesTheExactTree(String tag, @TempDir Path work) throws IOException {
    ImageRecord record = shared.pull(image("skiff-test/layers:" + tag));

    FixtureTree.assertMatches(flatten(shared.store(), record, work));
  }

  @Test
  void overlayfsStacksTheStoredLayersIntoTheSameTree(@TempDir Path mnt) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(isRoot(), "mounting overlayfs needs root here");
    ImageRecord record = shared.pull(image("skiff-test/layers:1"));
    List<Path> layers = new ArrayList<>(shared.store().rootfsLayers(record));
    Collections.reverse(layers); // overlayfs wants the top layer first
    String lower = String.join(":", layers.stream().map(Path::toString).toList());
    run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lower, mnt.toString());
    try {
      FixtureTree.assertMatches(mnt);
    } finally {
      run("umount", mnt.toString());
    }
  }

  @Test
  void sameLayerHardlinksStayLinkedInTheStore() throws IOException {
    ImageRecord record = shared.pull(image("skiff-test/layers:1"));
    Path first = shared.store().layerFs(record.layers().get(0).diffId());

    Object a = Files.getAttribute(first.resolve("data/original.bin"), "unix:ino");
    Object b = Files.getAttribute(first.resolve("data/link-same-layer.bin"), "unix:ino");
    assertThat(a).isEqualTo(b);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "1-docker"})
  void indexYieldsTheFirstManifestForThisPlatform(String tag, @TempDir Path work) throws IOException {
    ImageRecord record = shared.pull(image("skiff-test/multiarch:" + tag));

    assertThat(record.indexDigest()).isPresent();
    assertThat(Files.readString(flatten(shared.store(), record, work).resolve("arch"))).isEqualTo("amd64\n");
  }

  @Test
  void platformCanBeChosen(@TempDir Path store) throws IOException {
    EngineConfig arm = EngineConfig.builder().store(store).platform(Platform.parse("linux/arm64")).build();
    try (Engine engine = Engine.create(arm)) {
      ImageRecord record = engine.pull(image("skiff-test/multiarch:1"));
      assertThat(Files.readString(flatten(engine.store(), record, store).resolve("arch"))).isEqualTo("arm64\n");
    }
  }

  @Test
  void noManifestForThePlatformIsExplained(@TempDir Path store) throws IOException {
    EngineConfig s390 = EngineConfig.builder().store(store).platform(Platform.parse("linux/s390x")).build();
    try (Engine engine = Engine.create(s390)) {
      assertThatThrownBy(() -> engine.pull(image("skiff-test/multiarch:1")))
          .isInstanceOf(PullException.class)
          .hasMessageContaining("linux/s390x")
          .hasMessageContaining("linux/arm64")
          .hasMessageContaining("skiff.platform");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"skiff-test/zstd:1", "skiff-test/plain:1"})
  void zstdAndUncompressedLayersUnpack(String name, @TempDir Path store) throws IOException {
    // A store of its own: the layer is busybox's tar, which another pull may have stored from its gzip blob.
    try (Engine engine = engine(store)) {
      ImageRecord record = engine.pull(image(name));

      Path busybox = flatten(engine.store(), record, store).resolve("bin/busybox");
      assertThat(Files.size(busybox)).isGreaterThan(500_000);
      String compression = engine.store().layer(record.layers().get(0).diffId()).orElseThrow().compression();
      assertThat(compression).isEqualTo(name.contains("zstd") ? "zstd" : "none");
    }
  }

  @Test
  void policyNeverWorksOfflineFromTheStore(@TempDir Path store) throws IOException {
    try (Engine engine = engine(store)) {
      ImageReference busybox = ImageReference.parse(image("library/busybox:1.35"));
      assertThatThrownBy(() -> engine.pull(busybox, PullPolicy.NEVER, PullListener.SILENT))
          .isInstanceOf(PullException.class)
          .hasMessageContaining("not in the image store")
          .hasMessageContaining("skiff pull");

      ImageRecord pulled = engine.pull(busybox, PullPolicy.MISSING, PullListener.SILENT);
      assertThat(engine.pull(busybox, PullPolicy.NEVER, PullListener.SILENT)).isEqualTo(pulled);
    }
  }

  @Test
  void policyMissingDoesNotAskTheRegistryAgain(@TempDir Path store) throws IOException {
    EngineConfig unreachable = EngineConfig.builder().store(store)
        .substitution(ImageNameSubstitution.of(Map.of(), Map.of(TestEnvironment.registry(), "127.0.0.1:1"))).build();
    ImageReference busybox = ImageReference.parse(image("library/busybox:1.35"));
    try (Engine engine = engine(store)) {
      engine.pull(busybox, PullPolicy.MISSING, PullListener.SILENT);
    }
    try (Engine offline = Engine.create(unreachable)) {
      // The mirror points nowhere: only a pull that skips the registry can succeed.
      assertThat(offline.pull(busybox, PullPolicy.MISSING, PullListener.SILENT).layers()).hasSize(1);
      assertThatThrownBy(() -> offline.pull(busybox, PullPolicy.ALWAYS, PullListener.SILENT))
          .hasMessageContaining("cannot connect")
          .hasMessageContaining("127.0.0.1:1");
    }
  }

  @Test
  void substitutionServesOneImageAsAnother(@TempDir Path store) throws IOException {
    String registry = TestEnvironment.registry();
    EngineConfig config = EngineConfig.builder().store(store).substitution(ImageNameSubstitution.of(
        Map.of("mysql", registry + "/library/mariadb:10.11"), Map.of("docker.io", registry))).build();
    try (Engine engine = Engine.create(config)) {
      ImageRecord mysql = engine.pull("mysql:8.0");
      ImageRecord redis = engine.pull("redis:7.0");

      assertThat(mysql.reference()).isEqualTo("docker.io/library/mysql:8.0");
      assertThat(mysql.source()).isEqualTo(registry + "/library/mariadb:10.11");
      assertThat(redis.source()).isEqualTo(registry + "/library/redis:7.0");
      assertThat(engine.inspect("mysql:8.0").orElseThrow().config().exposedPorts()).contains("3306/tcp");
    }
  }

  @Test
  void unknownTagAndRepositoryAreExplained(@TempDir Path store) throws IOException {
    try (Engine engine = engine(store)) {
      assertThatThrownBy(() -> engine.pull(image("library/busybox:no-such-tag")))
          .hasMessageContaining("busybox:no-such-tag")
          .hasMessageContaining("MANIFEST_UNKNOWN")
          .hasMessageContaining("check the image name and tag");
      assertThatThrownBy(() -> engine.pull(image("nobody/nothing:1")))
          .hasMessageContaining("404");
    }
  }

  @Test
  void pruneKeepsWhatImagesUseAndFreesTheRest(@TempDir Path store) throws IOException {
    try (Engine engine = engine(store)) {
      engine.pull(image("library/busybox:1.35"));
      // Same tar as busybox, other compression: one layer in the store, which busybox keeps alive.
      ImageRecord zstd = engine.pull(image("skiff-test/zstd:1"));
      ImageRecord layers = engine.pull(image("skiff-test/layers:1"));
      assertThat(engine.prune().layers()).isZero();

      assertThat(engine.remove(image("skiff-test/zstd:1"))).isTrue();
      assertThat(engine.remove(image("skiff-test/layers:1"))).isTrue();
      ImageStore.PruneResult result = engine.prune();

      assertThat(result.layers()).isEqualTo(3);
      assertThat(result.fixups()).isEqualTo(1);
      for (ImageRecord.Layer l : layers.layers()) {
        assertThat(engine.store().layer(l.diffId())).isEmpty();
      }
      assertThat(engine.store().layer(zstd.layers().get(0).diffId())).isPresent();
      assertThat(engine.images()).extracting(ImageRecord::reference).containsExactly(image("library/busybox:1.35"));
      ImageRecord busybox = engine.images().get(0);
      assertThat(engine.store().rootfsLayers(busybox)).allMatch(Files::isDirectory);
      try (Stream<Path> tmp = Files.list(store.resolve("tmp"))) {
        assertThat(tmp).isEmpty();
      }
    }
  }

  @Test
  void pruneAndRemoveKeepWhatContainersStackEvenThroughALinkedStore(@TempDir Path dir) throws IOException {
    Path root = Files.createDirectory(dir.resolve("store"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), root);
    try (Engine engine = engine(root)) {
      ImageStore store = engine.store();
      engine.pull(image("library/busybox:1.35"));
      ImageRecord zstd = engine.pull(image("skiff-test/zstd:1")); // its one layer is busybox's
      ImageRecord layers = engine.pull(image("skiff-test/layers:1"));
      // as a container of another process that opened the store through the link records them
      List<Path> stacked = store.rootfsLayers(layers).stream().map(p -> link.resolve(root.relativize(p))).toList();
      ContainerUse.Source containers = () -> List.of(new ContainerUse("0".repeat(64), "linked", stacked));

      assertThat(store.containersUsing(zstd.reference(), containers)).isEmpty();
      assertThat(store.removeImage(zstd.reference(), containers, false)).isTrue();
      assertThatThrownBy(() -> store.removeImage(layers.reference(), containers, false))
          .isInstanceOf(ImageInUseException.class).hasMessageContaining("container(s) linked of the store");
      assertThat(store.removeImage(layers.reference(), containers, true)).isTrue();

      ImageStore.PruneResult kept = store.prune(containers);
      assertThat(kept.layers()).isZero();
      assertThat(kept.fixups()).isZero();
      assertThat(kept.kept()).isEqualTo(new ImageStore.Kept(3, 1, 0, 1));
      assertThat(stacked).allMatch(Files::isDirectory);

      ImageStore.PruneResult freed = store.prune(ContainerUse.Source.NONE);
      assertThat(freed.layers()).isEqualTo(3);
      assertThat(freed.fixups()).isEqualTo(1);
      assertThat(stacked).noneMatch(Files::exists);
    }
  }

  static Path flatten(ImageStore store, ImageRecord record, Path work) throws IOException {
    Path target = Files.createDirectories(work.resolve("rootfs"));
    RootfsFlattener.flatten(store.rootfsLayers(record), target);
    return target;
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }

  static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }
}
