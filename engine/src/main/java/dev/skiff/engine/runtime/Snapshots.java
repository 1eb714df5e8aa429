package dev.skiff.engine.runtime;

import dev.skiff.engine.image.ImageConfig;
import dev.skiff.engine.store.ImageRecord;
import dev.skiff.engine.store.ImageStore;
import dev.skiff.engine.store.SnapshotRecord;
import dev.skiff.engine.store.SnapshotStore;
import dev.skiff.engine.store.StoreLock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds, or first builds, the snapshot a container of a {@linkplain ContainerSpec#snapshot() snapshot} spec starts
 * from. Building runs a seed container of the spec until its wait strategy passes, stops it with its stop signal, and
 * on exit code 0 publishes its writable layer as the snapshot. One thread in one JVM builds a key at a time, under
 * the key's store lock; the others wait for it rather than initialise too, as their initialisation would cost as long
 * as the wait and compete for the same CPUs. A failed build is a warning, never a failed container; its key is not
 * tried again by this runtime, so that a seed that cannot stop cleanly costs one start, not every start.
 */
final class Snapshots {
  private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);
  /** Databases shut down in well under a second; a seed needing longer is killed, and so no snapshot. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final ContainerRuntime runtime;
  private final ImageStore images;
  private final SnapshotStore snapshots;
  private final boolean rootless;
  private final Set<String> failed = ConcurrentHashMap.newKeySet();

  Snapshots(ContainerRuntime runtime, ImageStore images, boolean rootless) {
    this.runtime = runtime;
    this.images = images;
    this.snapshots = images.snapshots();
    this.rootless = rootless;
  }

  /**
   * The snapshot files to stack on {@code image}'s layers for a container of {@code spec}, built first when the
   * store has none; empty when none could be built (the reason is logged).
   *
   * @throws ContainerException when the spec cannot have a snapshot (it has mounts)
   */
  Optional<Path> lowerFor(ContainerSpec spec, ImageRecord image, ImageConfig config) throws IOException {
    SnapshotKey key = SnapshotKey.of(spec, image, rootless);
    Optional<Path> files = snapshots.files(key.hex());
    if (files.isPresent()) {
      snapshots.markUsed(key.hex());
      return files;
    }
    if (failed.contains(key.hex())) {
      return files;
    }
    try (StoreLock building = snapshots.lock(key.hex())) {
      files = snapshots.files(key.hex()); // another thread or JVM may have built it while this one waited
      if (files.isEmpty() && !failed.contains(key.hex())) {
        files = build(spec, image, config, key);
        if (files.isEmpty()) {
          failed.add(key.hex());
        }
      }
      return files;
    }
  }

  private Optional<Path> build(ContainerSpec spec, ImageRecord image, ImageConfig config, SnapshotKey key)
      throws IOException {
    long started = System.nanoTime();
    Container seed = runtime.create(spec.seedSpec(), image, config);
    try {
      seed.start();
      Container.StopResult stop = seed.stop(STOP_GRACE);
      int code = seed.exitCode().orElse(-1);
      if (stop == Container.StopResult.KILLED || code != 0) {
        LOG.warn("No snapshot of {}: its seed container {} {} when stopped with signal {} (a snapshot needs exit code"
            + " 0, a clean shutdown); starting the container the usual way. Its last output: {}", spec.image(),
            seed.name(), stop == Container.StopResult.KILLED ? "ignored its stop signal for " + STOP_GRACE
                + " and was killed" : "exited with code " + code, seed.stopSignal(), seed.logs().tail(20));
        return Optional.empty();
      }
      try (StoreLock publishing = images.sharedUse()) { // no prune empties tmp/ meanwhile
        Path work = snapshots.newWorkDir();
        seed.moveUpperTo(work.resolve("files"));
        SnapshotRecord published = snapshots.publish(work, new SnapshotRecord(key.hex(), spec.image(),
            image.manifestDigest(), key.inputs(), Instant.now(), 0));
        LOG.info("Snapshot {} of {} taken in {} ms ({} KiB): later containers of an equal spec start from it",
            key.hex().substring(0, 12), spec.image(), (System.nanoTime() - started) / 1_000_000,
            published.size() / 1024);
      }
      return snapshots.files(key.hex());
    } catch (IOException | RuntimeException e) {
      LOG.warn("No snapshot of {}: its seed container {} failed: {}; starting the container the usual way",
          spec.image(), seed.name(), e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while stopping the seed container of " + spec.image());
    } finally {
      try {
        seed.remove();
      } catch (IOException e) {
        LOG.warn("Cannot remove the seed container {} of {}: {}", seed.name(), spec.image(), e.getMessage());
      }
    }
  }
}
