package dev.skiff.engine.store;

import dev.skiff.engine.fs.TreeRemover;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's snapshots, {@code root/snapshots/KEY/}: {@code files/} (a cleanly stopped container's writable layer,
 * stacked as the top lower layer of later containers) and {@code snapshot.json} (its {@link SnapshotRecord}). A
 * snapshot appears by one rename of a complete directory and leaves by one rename into {@code tmp/}, so a directory
 * without snapshot.json is debris of a crash or a hand's edit: ignored, and deleted by {@link #removeDebris()}.
 */
public final class SnapshotStore {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
  private static final String RECORD = "snapshot.json";
  /** Where the snapshots are, relative to the store's root. */
  static final String DIR = "snapshots";

  private final ImageStore images;
  private final Path dir;
  private final TreeRemover remover;

  SnapshotStore(ImageStore images, Path dir, TreeRemover remover) {
    this.images = images;
    this.dir = dir;
    this.remover = remover;
  }

  /** The files of the complete snapshot {@code key}, to stack on its base image's layers; empty when there is none. */
  public Optional<Path> files(String key) {
    Path snapshot = dir.resolve(checked(key));
    return Files.isRegularFile(snapshot.resolve(RECORD)) ? Optional.of(snapshot.resolve("files")) : Optional.empty();
  }

  /** The record of the complete snapshot {@code key}, if there is one. */
  public Optional<SnapshotRecord> record(String key) throws IOException {
    try {
      return Optional.of(RecordCodec.readSnapshot(Files.readAllBytes(dir.resolve(checked(key)).resolve(RECORD))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Notes that a container stacks snapshot {@code key} now (its directory's modification time is its last use), so
   * that {@link ImageStore#prune(ContainerUse.Source, java.time.Duration)} can tell snapshots nobody starts from any
   * more. A store this process may not write keeps the time it had.
   */
  public void markUsed(String key) {
    try {
      Files.setLastModifiedTime(dir.resolve(checked(key)), FileTime.from(Instant.now()));
    } catch (IOException e) {
      LOG.debug("Cannot note the use of snapshot {}: {}", key, e.toString());
    }
  }

  /** When a container last stacked snapshot {@code key}, or when it was taken. */
  public Instant lastUsed(String key) throws IOException {
    return Files.getLastModifiedTime(dir.resolve(checked(key))).toInstant();
  }

  /** Serialises building snapshot {@code key} across threads and JVMs, so that it is built once. */
  public StoreLock lock(String key) throws IOException {
    return StoreLock.acquire(images.root().resolve("locks/snapshot-" + checked(key) + ".lock"), false);
  }

  /** A fresh directory on the store's file system to gather a snapshot in: move the files to {@code files/} in it. */
  public Path newWorkDir() throws IOException {
    return images.newTempDir();
  }

  /**
   * Publishes {@code workDir} (holding {@code files/}) as the snapshot {@code record.key()}, atomically, with its
   * size measured; debris under that key is replaced. If another process published it first, ours is discarded.
   *
   * @return the record as published
   */
  public SnapshotRecord publish(Path workDir, SnapshotRecord record) throws IOException {
    SnapshotRecord measured = new SnapshotRecord(record.key(), record.image(), record.baseManifest(), record.inputs(),
        record.created(), sizeOf(workDir.resolve("files")));
    Files.write(workDir.resolve(RECORD), RecordCodec.write(measured));
    Files.createDirectories(dir);
    Path target = dir.resolve(checked(record.key()));
    if (Files.isDirectory(target) && !Files.exists(target.resolve(RECORD))) {
      discard(target);
    }
    try {
      Files.move(workDir, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      LOG.debug("Snapshot {} was published by another process meanwhile", record.key());
      remover.remove(workDir);
    }
    return measured;
  }

  /** Every complete snapshot, newest first. */
  public List<SnapshotRecord> list() throws IOException {
    List<SnapshotRecord> list = new ArrayList<>();
    for (Path snapshot : entries()) {
      try {
        list.add(RecordCodec.readSnapshot(Files.readAllBytes(snapshot.resolve(RECORD))));
      } catch (NoSuchFileException e) {
        // debris, or removed meanwhile
      }
    }
    list.sort((a, b) -> b.created().compareTo(a.created()));
    return list;
  }

  /** The directory of snapshot {@code key}, relative to the store's root. */
  static Path entry(String key) {
    return Path.of(DIR, checked(key));
  }

  /** Removes the complete snapshots {@code which} selects; returns how many. */
  public int removeIf(Predicate<SnapshotRecord> which) throws IOException {
    int removed = 0;
    for (SnapshotRecord s : list()) {
      if (which.test(s)) {
        discard(dir.resolve(s.key()));
        removed++;
      }
    }
    return removed;
  }

  /** Deletes snapshot directories without a record; returns how many. */
  public int removeDebris() throws IOException {
    int removed = 0;
    for (Path snapshot : entries()) {
      if (!Files.exists(snapshot.resolve(RECORD))) {
        LOG.info("Deleting {}: a snapshot without {} (left by a crash)", snapshot, RECORD);
        discard(snapshot);
        removed++;
      }
    }
    return removed;
  }

  private List<Path> entries() throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.toList();
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /** Out of sight at once (one rename), then deleted. */
  private void discard(Path snapshot) throws IOException {
    Path moved = images.root().resolve("tmp").resolve("snapshot-" + snapshot.getFileName() + "-"
        + java.util.UUID.randomUUID());
    try {
      Files.move(snapshot, moved, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return;
    }
    remover.remove(moved);
  }

  /** Bytes of the regular files below {@code tree} that this process may see (rootless, not all of them). */
  private static long sizeOf(Path tree) throws IOException {
    long[] size = {0};
    Files.walkFileTree(tree, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        size[0] += attrs.isRegularFile() ? attrs.size() : 0;
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
    return size[0];
  }

  private static String checked(String key) {
    if (!key.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("'" + key + "' is not a snapshot key (64 hex digits)");
    }
    return key;
  }
}
