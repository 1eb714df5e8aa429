package dev.skiff.engine.runtime;

import dev.skiff.engine.fs.TreeRemover;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes removed containers' directories off the caller's path: {@link #remove} renames a tree into
 * {@code STORE/trash/} (one rename, so it leaves {@code containers/} at once) and a background thread deletes it.
 * {@link #awaitDeletions()} waits for those deletions (the runtime does so when it closes); what a JVM that died left
 * in the trash, the next runtime deletes.
 */
final class Trash implements TreeRemover {
  private static final Logger LOG = LoggerFactory.getLogger(Trash.class);

  private final Path dir;
  private final TreeRemover remover;
  private final Executor executor;
  private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();

  private Trash(Path dir, TreeRemover remover, Executor executor) {
    this.dir = dir;
    this.remover = remover;
    this.executor = executor;
  }

  /**
   * The trash in {@code dir}, emptied of what earlier runtimes left (in the background: another live runtime may be
   * deleting the same trees, which is harmless).
   *
   * @param remover deletes the trees, in the background
   */
  static Trash open(Path dir, TreeRemover remover, Executor executor) throws IOException {
    Files.createDirectories(dir);
    Trash trash = new Trash(dir, remover, executor);
    try (Stream<Path> left = Files.list(dir)) {
      left.forEach(trash::deleteLater);
    }
    return trash;
  }

  /** Moves {@code tree} into the trash and deletes it soon; deletes it here when it cannot be moved. */
  @Override
  public void remove(Path tree) throws IOException {
    Path moved = dir.resolve(tree.getFileName() + "-" + UUID.randomUUID());
    try {
      Files.move(tree, moved, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return; // gone already
    } catch (IOException e) {
      LOG.debug("Cannot move {} into {} ({}); deleting it now", tree, dir, e.toString());
      remover.remove(tree);
      return;
    }
    deleteLater(moved);
  }

  private void deleteLater(Path tree) {
    CompletableFuture<Void> deletion = CompletableFuture.runAsync(() -> {
      try {
        remover.remove(tree);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Cannot delete {}, a removed container's files: {}; the next engine tries again", tree,
            e.toString());
      }
    }, executor);
    pending.add(deletion);
    deletion.whenComplete((done, e) -> pending.remove(deletion));
  }

  /** Waits until every tree moved into the trash so far is deleted (or its deletion failed and was logged). */
  void awaitDeletions() {
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
  }
}
