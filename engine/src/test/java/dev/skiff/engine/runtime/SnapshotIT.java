package dev.skiff.engine.runtime;

import static dev.skiff.engine.runtime.ContainerIT.BUSYBOX;
import static dev.skiff.engine.runtime.ContainerIT.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.store.ImageStore;
import dev.skiff.engine.store.SnapshotRecord;
import dev.skiff.engine.store.SnapshotStore;
import dev.skiff.engine.wait.Wait;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots with real containers, as root: a busybox "database" whose first start initialises {@code /data} (and
 * deletes and replaces image files, so the snapshot holds whiteouts and an opaque directory), then serves until
 * SIGTERM, on which it exits with {@code EXIT_ON_TERM}.
 */
class SnapshotIT extends RuntimeIT {
  static final String INIT = "if [ ! -e /data/initialised ]; then echo INIT-RUN; mkdir -p /data/dir;"
      + " cat /proc/sys/kernel/random/uuid > /data/initialised; echo base > /data/shared; echo x > /data/dir/file;"
      + " chown 1000:1000 /data/dir/file;"
      + " rm /bin/vi; rm -rf /home; mkdir /home; echo new > /home/only; fi;"
      + " trap 'exit ${EXIT_ON_TERM:-0}' TERM; echo READY; sleep 1000 & wait"; // the trap first: PID 1 ignores TERM

  /** A spec whose key no other test shares. */
  static ContainerSpec.Builder database(String tag) {
    return ContainerSpec.builder(BUSYBOX).command("sh", "-c", INIT).env("TEST", tag + "-" + UUID.randomUUID())
        .waitingFor(Wait.forLogMessage("READY", 1)).snapshot(true);
  }

  static String sh(Container c, String script) throws Exception {
    ExecResult r = c.exec("sh", "-c", script);
    assertThat(r.exitCode()).as("%s: %s", script, r.stderr()).isZero();
    return r.stdout();
  }

  static List<SnapshotRecord> snapshots() throws Exception {
    return engine.store().snapshots().list();
  }

  @Test
  void theFirstContainerInitialisesOnceAndEqualSpecsStartFromItsFiles() throws Exception {
    ContainerSpec spec = database("equal").build();
    int before = snapshots().size();
    try (Container first = engine.run(spec);
         Container second = engine.run(spec.toBuilder().name("second-" + UUID.randomUUID()).exposedPorts(80).build())) {
      assertThat(first.logs().stdout()).doesNotContain("INIT-RUN").contains("READY");
      assertThat(second.logs().stdout()).doesNotContain("INIT-RUN").contains("READY");
      assertThat(sh(first, "cat /data/initialised")).isEqualTo(sh(second, "cat /data/initialised"));
      // The seed's deletions in image directories hold: a whiteout and an opaque directory in the snapshot.
      assertThat(sh(second, "ls -A /home; test -e /bin/vi || echo vi-gone; cat /data/dir/file"))
          .isEqualTo("only\nvi-gone\nx\n");
    }
    assertThat(snapshots()).hasSize(before + 1);
    SnapshotRecord record = snapshots().get(0);
    assertThat(record.image()).isEqualTo(BUSYBOX);
    assertThat(record.baseManifest()).isEqualTo(engine.pull(BUSYBOX).manifestDigest());
    assertThat(record.inputs()).containsEntry("env", "TEST").doesNotContainValue(spec.env().get("TEST"));
    assertThat(record.size()).isPositive();
    assertThat(store.resolve("snapshots").resolve(record.key()).resolve("files/data/initialised")).isRegularFile();
  }

  @Test
  void anotherEnvironmentGetsAnotherSnapshot() throws Exception {
    int before = snapshots().size();
    ContainerSpec.Builder spec = database("env");
    try (Container one = engine.run(spec.env("SETTING", "1").build());
         Container two = engine.run(spec.env("SETTING", "2").build())) {
      assertThat(sh(one, "cat /data/initialised")).isNotEqualTo(sh(two, "cat /data/initialised"));
    }
    assertThat(snapshots()).hasSize(before + 2);
  }

  @Test
  void containersFromOneSnapshotSeeOnlyTheirOwnWritesAndMayDeleteSnapshotFiles() throws Exception {
    ContainerSpec spec = database("isolation").build();
    try (Container a = engine.run(spec); Container b = engine.run(spec)) {
      assertThat(sh(a, "echo A > /data/shared; echo more >> /data/dir/file; rm /data/initialised; rm -r /home;"
          + " mkdir /home; echo a > /home/mine; ls /data; ls /home; cat /data/shared /data/dir/file"))
          .isEqualTo("dir\nshared\nmine\nA\nx\nmore\n");
      assertThat(sh(b, "cat /data/shared /data/dir/file; ls -A /home; test -e /data/initialised && echo kept"))
          .isEqualTo("base\nx\nonly\nkept\n");
    }
    try (Container c = engine.run(spec)) {
      assertThat(sh(c, "cat /data/shared; ls -A /home")).isEqualTo("base\nonly\n");
    }
  }

  @Test
  void filesCopiedInCountAndAreInTheSnapshot() throws Exception {
    int before = snapshots().size();
    ContainerSpec.Builder spec = database("copies");
    try (Container one = engine.run(spec.copyIn("v1\n".getBytes(StandardCharsets.UTF_8), "/etc/app.conf", 0640)
            .build());
         Container two = engine.run(database("copies").copyIn("v2\n".getBytes(StandardCharsets.UTF_8),
            "/etc/app.conf", 0640).build())) {
      assertThat(sh(one, "cat /etc/app.conf; stat -c %a /etc/app.conf")).isEqualTo("v1\n640\n");
      assertThat(sh(two, "cat /etc/app.conf")).isEqualTo("v2\n");
    }
    assertThat(snapshots()).hasSize(before + 2);
  }

  @Test
  void aSeedThatDoesNotExitCleanlyLeavesNoSnapshotAndTheContainerInitialisesItself() throws Exception {
    int before = snapshots().size();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ContainerSpec spec = database("unclean").env("EXIT_ON_TERM", "3").build();
    List<Container> started = new ArrayList<>();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      started.add(engine.run(spec));
      started.add(engine.run(spec));
    } finally {
      System.setErr(err);
    }
    for (Container c : started) {
      try (c) {
        assertThat(c.isRunning()).isTrue();
        assertThat(c.logs().stdout()).contains("INIT-RUN", "READY");
      }
    }
    assertThat(snapshots()).hasSize(before);
    String warnings = captured.toString(StandardCharsets.UTF_8);
    assertThat(warnings).contains("WARN", "No snapshot of " + BUSYBOX, "exited with code 3 when stopped with signal 15",
        "INIT-RUN");
    assertThat(warnings.split("No snapshot of", -1)).as("one seed per key and engine: %s", warnings).hasSize(2);
  }

  @Test
  void concurrentFirstStartsBuildOneSnapshot() throws Exception {
    int before = snapshots().size();
    ContainerSpec spec = database("concurrent").build();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Container> started = new ArrayList<>();
    try {
      List<Future<Container>> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runs.add(pool.submit((Callable<Container>) () -> engine.run(spec)));
      }
      for (Future<Container> run : runs) {
        started.add(run.get());
      }
      List<String> markers = new ArrayList<>();
      for (Container c : started) {
        assertThat(c.logs().stdout()).doesNotContain("INIT-RUN");
        markers.add(sh(c, "cat /data/initialised"));
      }
      assertThat(markers).containsOnly(markers.get(0));
    } finally {
      pool.shutdown();
      for (Container c : started) {
        c.remove();
      }
    }
    assertThat(snapshots()).hasSize(before + 1);
  }

  @Test
  void mountsRefuseSnapshotsSayingWhy(@TempDir Path data) {
    assertThatThrownBy(() -> engine.create(database("bind").mount(ContainerSpec.Mount.bind(data, "/data")).build()))
        .isInstanceOf(ContainerException.class)
        .hasMessageContaining("bind mount at /data")
        .hasMessageContaining("lives outside the container (" + data + ")")
        .hasMessageContaining("Drop snapshot(true) or the mount");
    assertThatThrownBy(() -> engine.create(database("tmpfs").mount(ContainerSpec.Mount.tmpfs("/data", "")).build()))
        .isInstanceOf(ContainerException.class).hasMessageContaining("tmpfs mount at /data");
  }

  @Test
  void snapshotsOffInitialisesEveryContainer(@TempDir Path otherStore) throws Exception {
    try (Engine off = Engine.create(EngineConfig.builder().store(otherStore).snapshots(false).build());
         Container c = off.run(database("off").build())) {
      assertThat(c.logs().stdout()).contains("INIT-RUN");
      assertThat(off.store().snapshots().list()).isEmpty();
    }
  }

  @Test
  void removingTheImageRemovesItsSnapshotsAndPruneCleansDebris(@TempDir Path otherStore) throws Exception {
    try (Engine own = Engine.create(EngineConfig.builder().store(otherStore).build())) {
      own.run(database("rmi").build()).remove();
      assertThat(own.store().snapshots().list()).hasSize(1);
      String key = own.store().snapshots().list().get(0).key();
      Path debris = Files.createDirectories(otherStore.resolve("snapshots").resolve("0".repeat(64)).resolve("files"));
      assertThat(own.store().snapshots().files("0".repeat(64))).as("a snapshot without snapshot.json").isEmpty();

      assertThat(own.prune().snapshots()).as("prune while the image is there: only the debris").isEqualTo(1);
      assertThat(debris.getParent()).doesNotExist();
      assertThat(own.store().snapshots().files(key)).isPresent();

      assertThat(own.remove(BUSYBOX)).isTrue();
      assertThat(own.store().snapshots().list()).isEmpty();
      assertThat(otherStore.resolve("snapshots").resolve(key)).doesNotExist();
      assertThat(own.prune().layers()).isPositive();
    }
  }

  @Test
  void pruneRemovesSnapshotsUnusedForAWhileExceptThoseContainersStack(@TempDir Path otherStore) throws Exception {
    try (Engine own = Engine.create(EngineConfig.builder().store(otherStore).build())) {
      SnapshotStore store = own.store().snapshots();
      own.run(database("stale").build()).remove();
      String stale = store.list().get(0).key();
      ContainerSpec freshSpec = database("fresh").build();
      own.run(freshSpec).remove();
      String fresh = store.list().get(0).key();
      try (Container inUse = own.run(database("in-use").build())) {
        String used = store.list().get(0).key();
        FileTime monthAgo = FileTime.from(Instant.now().minus(Duration.ofDays(30)));
        for (String key : List.of(stale, fresh, used)) {
          Files.setLastModifiedTime(otherStore.resolve("snapshots").resolve(key), monthAgo);
        }
        own.run(freshSpec).remove(); // a start from a snapshot is a use
        assertThat(store.lastUsed(fresh)).isAfter(Instant.now().minus(Duration.ofMinutes(1)));

        assertThat(own.prune().snapshots()).as("a plain prune keeps snapshots of present images").isZero();
        ImageStore.PruneResult pruned = own.prune(Duration.ofDays(7));
        assertThat(pruned.snapshots()).isEqualTo(1);
        assertThat(pruned.kept().snapshots()).as("stacked by a running container").isEqualTo(1);
        assertThat(store.list()).extracting(SnapshotRecord::key).containsExactlyInAnyOrder(fresh, used);
        assertThat(otherStore.resolve("snapshots").resolve(stale)).doesNotExist();
        assertThat(sh(inUse, "cat /data/shared")).isEqualTo("base\n");
      }
      assertThat(own.prune(Duration.ZERO).snapshots()).as("every snapshot no container stacks").isEqualTo(2);
      assertThat(store.list()).isEmpty();
    }
  }
}
