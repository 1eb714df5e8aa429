package dev.skiff.engine.store;

import dev.skiff.engine.fs.TopDirectory;
import dev.skiff.engine.fs.TreeRemover;
import dev.skiff.engine.hash.Digest;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk, content-addressed image store, shared safely by concurrent threads and JVMs.
 *
 * <pre>
 * root/blobs/sha256/HEX            manifests, indexes, configs (verified before they appear)
 * root/layers/sha256/HEX/fs        an unpacked layer, keyed by diffID; layer.json beside it
 * root/fixups/sha256/CHAIN/fs      copies that resolve a layer's hardlinks into lower layers, per layer chain
 * root/images/HASH.json            image records, one per reference
 * root/snapshots/KEY/              initialised container files ({@link SnapshotStore}), each on one image
 * root/tmp/PID-UUID                work in progress; renamed into place when complete and verified
 * root/locks/NAME.lock             lock files
 * </pre>
 *
 * <p>Everything appears by an atomic rename, so a reader never sees half of anything. Pulls hold the store's
 * {@linkplain #sharedUse() shared lock}, as do container creations until the container has recorded the directories
 * it stacks; {@link #prune} takes it exclusively, and keeps what containers stack.
 */
public final class ImageStore {
  private static final Logger LOG = LoggerFactory.getLogger(ImageStore.class);

  private static final String BLOBS = "blobs/sha256";
  private static final String LAYERS = "layers/sha256";
  private static final String FIXUPS = "fixups/sha256";

  private final Path root;
  private final TreeRemover remover;
  private final SnapshotStore snapshots;

  private ImageStore(Path root, TreeRemover remover) {
    this.root = root;
    this.remover = remover;
    this.snapshots = new SnapshotStore(this, root.resolve(SnapshotStore.DIR), remover);
  }

  /** Opens (creating if needed) the store at {@code root}. */
  public static ImageStore open(Path root) throws IOException {
    return open(root, TreeRemover.PLAIN);
  }

  /**
   * Opens (creating if needed) the store at {@code root}, deleting trees with {@code remover}: a rootless engine's
   * layers hold files owned by its subordinate ids.
   */
  public static ImageStore open(Path root, TreeRemover remover) throws IOException {
    Path abs = root.toAbsolutePath().normalize();
    try {
      for (String dir : List.of("blobs/sha256", "layers/sha256", "fixups/sha256", "images", "tmp", "locks")) {
        Files.createDirectories(abs.resolve(dir));
      }
    } catch (IOException e) {
      throw new IOException("Cannot create the image store at " + abs + ": " + e
          + ". Point skiff.store (or SKIFF_STORE) at a writable directory.", e);
    }
    TopDirectory.mark(abs.resolve("tmp")); // each layer is unpacked into a directory of its own there
    return new ImageStore(abs, remover);
  }

  /** {@code $SKIFF_STORE}, else {@code $XDG_CACHE_HOME/skiff}, else {@code ~/.cache/skiff}. */
  public static Path defaultRoot() {
    String explicit = System.getenv("SKIFF_STORE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "skiff");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "skiff");
  }

  public Path root() {
    return root;
  }

  /** The snapshots of initialised containers, each stacked on one of this store's images. */
  public SnapshotStore snapshots() {
    return snapshots;
  }

  /** Deletes a tree inside the store (say, a {@link #newTempDir()}) the way the store deletes its content. */
  public void delete(Path tree) throws IOException {
    remover.remove(tree);
  }

  // ---- locks

  /**
   * Held while pulling, publishing a snapshot, or creating a container until it has recorded what it stacks: many at
   * once, but no prune underneath them.
   */
  public StoreLock sharedUse() throws IOException {
    return StoreLock.acquire(root.resolve("locks/store.lock"), true);
  }

  /** Held while pruning: waits for every pull in every JVM to finish. */
  StoreLock exclusiveUse() throws IOException {
    return StoreLock.acquire(root.resolve("locks/store.lock"), false);
  }

  /** Serialises work on one piece of content (say, one layer) across threads and JVMs. */
  public StoreLock lock(Digest digest) throws IOException {
    return StoreLock.acquire(root.resolve("locks/" + digest.algorithm() + "-" + digest.hex() + ".lock"), false);
  }

  // ---- blobs

  /** A stored blob's bytes, if present. */
  public Optional<byte[]> blob(Digest digest) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(blobPath(digest)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Stores {@code content} under {@code digest} after checking that it is that content. */
  public void putBlob(Digest digest, byte[] content) throws IOException {
    Digest actual = Digest.sha256Of(content);
    if (!actual.equals(digest)) {
      throw new IOException("Refusing to store content as " + digest + ": its digest is " + actual);
    }
    Path target = blobPath(digest);
    if (Files.exists(target)) {
      return;
    }
    Path temp = root.resolve("tmp").resolve(tempName());
    Files.write(temp, content);
    moveIntoPlace(temp, target);
  }

  private Path blobPath(Digest digest) {
    return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  // ---- layers

  /** The directory holding the unpacked files of the layer with this diffID (it may not exist). */
  public Path layerFs(Digest diffId) {
    return layerDir(diffId).resolve("fs");
  }

  /** The record of a complete layer, if the store has it. */
  public Optional<LayerRecord> layer(Digest diffId) throws IOException {
    try {
      return Optional.of(RecordCodec.readLayer(Files.readAllBytes(layerDir(diffId).resolve("layer.json"))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** A fresh empty directory on the store's filesystem for work that {@link #commitLayer} later publishes. */
  public Path newTempDir() throws IOException {
    return Files.createDirectory(root.resolve("tmp").resolve(tempName()));
  }

  /**
   * Publishes {@code workDir/fs} as the layer of {@code record.diffId()}, atomically. The caller has verified the
   * digests. If another process published it first, ours is discarded.
   */
  public void commitLayer(Path workDir, LayerRecord record) throws IOException {
    Files.write(workDir.resolve("layer.json"), RecordCodec.write(record));
    publishDir(workDir, layerDir(record.diffId()));
  }

  private Path layerDir(Digest diffId) {
    return root.resolve("layers").resolve(diffId.algorithm()).resolve(diffId.hex());
  }

  // ---- fixups for hardlinks across layers

  /** The fixup directory for the layer chain {@code chainId} (it may not exist). */
  public Path fixupFs(Digest chainId) {
    return fixupDir(chainId).resolve("fs");
  }

  /** Publishes {@code workDir/fs} as the fixups of {@code chainId}, atomically. */
  public void commitFixup(Path workDir, Digest chainId) throws IOException {
    publishDir(workDir, fixupDir(chainId));
  }

  private Path fixupDir(Digest chainId) {
    return root.resolve("fixups").resolve(chainId.algorithm()).resolve(chainId.hex());
  }

  // ---- images

  /** Records (or replaces) an image. */
  public void putImage(ImageRecord image) throws IOException {
    Path temp = root.resolve("tmp").resolve(tempName());
    Files.write(temp, RecordCodec.write(image));
    Files.move(temp, imagePath(image.reference()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The record of {@code reference} (canonical form), if pulled. */
  public Optional<ImageRecord> image(String reference) throws IOException {
    try {
      return Optional.of(RecordCodec.readImage(Files.readAllBytes(imagePath(reference))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Every recorded image, by reference. */
  public List<ImageRecord> images() throws IOException {
    List<ImageRecord> list = new ArrayList<>();
    try (Stream<Path> files = Files.list(root.resolve("images"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".json"))::iterator) {
        try {
          list.add(RecordCodec.readImage(Files.readAllBytes(f)));
        } catch (NoSuchFileException e) {
          // removed meanwhile
        }
      }
    }
    list.sort((a, b) -> a.reference().compareTo(b.reference()));
    return list;
  }

  /**
   * Forgets an image, and the snapshots on it unless another recorded reference names the same manifest or a
   * container stacks them; its content stays until {@link #prune}. Returns whether it was recorded.
   *
   * @param containers the store's containers: none may be left stacking files no image record keeps
   * @param force forget it even so; what those containers use then stays until they are gone
   * @throws ImageInUseException when containers use files only this record keeps, and not {@code force}
   */
  public boolean removeImage(String reference, ContainerUse.Source containers, boolean force) throws IOException {
    Optional<ImageRecord> image = image(reference);
    if (image.isEmpty()) {
      return false;
    }
    if (!force) {
      List<String> users = containersUsing(image.get(), containers.current());
      if (!users.isEmpty()) {
        throw new ImageInUseException(reference, users);
      }
    }
    boolean removed = Files.deleteIfExists(imagePath(reference));
    if (removed && !snapshotsOfGoneImages().isEmpty()) {
      // exclusively: a container being created from one of them has recorded it once this lock is ours
      try (StoreLock ignored = exclusiveUse()) {
        removeSnapshots(snapshotsOfGoneImages(), EntryUsers.of(root, containers.current()), new HashSet<>());
      }
    }
    return removed;
  }

  /**
   * The names of the containers that stack files of {@code reference} which no other image record keeps (its own
   * layers and fixups, and its snapshots unless another reference names its manifest); empty when it is not recorded.
   */
  public List<String> containersUsing(String reference, ContainerUse.Source containers) throws IOException {
    Optional<ImageRecord> image = image(reference);
    return image.isEmpty() ? List.of() : containersUsing(image.get(), containers.current());
  }

  private List<String> containersUsing(ImageRecord image, List<ContainerUse> containers) throws IOException {
    if (containers.isEmpty()) {
      return List.of();
    }
    Set<Path> orphaned = entriesOf(image);
    boolean manifestStays = false;
    for (ImageRecord other : images()) {
      if (!other.reference().equals(image.reference())) {
        orphaned.removeAll(entriesOf(other));
        manifestStays |= other.manifestDigest().equals(image.manifestDigest());
      }
    }
    if (!manifestStays) {
      for (SnapshotRecord s : snapshots.list()) {
        if (s.baseManifest().equals(image.manifestDigest())) {
          orphaned.add(SnapshotStore.entry(s.key()));
        }
      }
    }
    return List.copyOf(EntryUsers.of(root, containers).users(orphaned));
  }

  /** The image's layer and fixup entries, relative to the root (a fixup entry may not exist). */
  private static Set<Path> entriesOf(ImageRecord image) {
    Set<Path> entries = new HashSet<>();
    Digest chain = null;
    for (ImageRecord.Layer layer : image.layers()) {
      chain = LayerChain.next(chain, layer.diffId());
      entries.add(Path.of(LAYERS, layer.diffId().hex()));
      entries.add(Path.of(FIXUPS, chain.hex()));
    }
    return entries;
  }

  private Set<Digest> recordedManifests() throws IOException {
    Set<Digest> manifests = new HashSet<>();
    for (ImageRecord image : images()) {
      manifests.add(image.manifestDigest());
    }
    return manifests;
  }

  private Path imagePath(String reference) {
    return root.resolve("images").resolve(Digest.sha256Of(reference.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .hex() + ".json");
  }

  /**
   * The directories to stack for a container of {@code image}, bottom first: each layer's files, each followed by its
   * fixups when it has hardlinks into lower layers.
   *
   * @throws IOException when a layer is missing (pruned underneath a record): pull the image again
   */
  public List<Path> rootfsLayers(ImageRecord image) throws IOException {
    List<Path> dirs = new ArrayList<>();
    Digest chain = null;
    for (ImageRecord.Layer layer : image.layers()) {
      chain = LayerChain.next(chain, layer.diffId());
      Path fs = layerFs(layer.diffId());
      if (!Files.isDirectory(fs)) {
        throw new IOException("Layer " + layer.diffId() + " of " + image.reference() + " is missing from the store at "
            + root + "; pull the image again.");
      }
      dirs.add(fs);
      if (Files.isDirectory(fixupFs(chain))) {
        dirs.add(fixupFs(chain));
      }
    }
    return dirs;
  }

  // ---- prune

  /**
   * What {@link #prune} removed, and what it kept only because containers use it.
   *
   * @param kept entries no image record references that containers of the store stack
   */
  public record PruneResult(int blobs, int layers, int fixups, int temps, int snapshots, Kept kept) {}

  /** Layers, fixups and snapshots kept for the {@code containers} that stack them; they go once those are removed. */
  public record Kept(int layers, int fixups, int snapshots, int containers) {}

  /**
   * Removes snapshots whose image is gone (and snapshot debris), then every blob, layer and fixup that no image
   * record references, and work left by dead processes. Layers, fixups and snapshots that a container of the store
   * stacks stay, whatever the records say: a running container's overlay needs them. Waits for running pulls,
   * container creations and snapshot publications (in any JVM) to finish first, and reads {@code containers} after.
   */
  public PruneResult prune(ContainerUse.Source containers) throws IOException {
    return prune(containers, null);
  }

  /**
   * As {@link #prune(ContainerUse.Source)}, and removes the snapshots that no container has stacked for {@code
   * snapshotsUnusedFor} ({@link Duration#ZERO}: every snapshot no container stacks now); the next container of such a
   * spec initialises itself and takes a new one.
   */
  public PruneResult prune(ContainerUse.Source containers, Duration snapshotsUnusedFor) throws IOException {
    try (StoreLock ignored = exclusiveUse()) {
      EntryUsers used = EntryUsers.of(root, containers.current());
      Set<Path> kept = new HashSet<>();
      Set<Digest> manifests = recordedManifests();
      Instant unusedSince = snapshotsUnusedFor == null ? null : Instant.now().minus(snapshotsUnusedFor);
      List<SnapshotRecord> expired = new ArrayList<>();
      for (SnapshotRecord s : snapshots.list()) {
        if (!manifests.contains(s.baseManifest())
            || unusedSince != null && !snapshots.lastUsed(s.key()).isAfter(unusedSince)) {
          expired.add(s);
        }
      }
      int snapshotsRemoved = removeSnapshots(expired, used, kept) + snapshots.removeDebris();
      Set<String> keep = new HashSet<>();
      for (ImageRecord image : images()) {
        keep.add(image.manifestDigest().hex());
        keep.add(image.configDigest().hex());
        image.indexDigest().ifPresent(d -> keep.add(d.hex()));
        entriesOf(image).forEach(entry -> keep.add(entry.getFileName().toString()));
      }
      int blobs = removeUnreferenced(BLOBS, keep, used, kept);
      int layers = removeUnreferenced(LAYERS, keep, used, kept);
      int fixups = removeUnreferenced(FIXUPS, keep, used, kept);
      int temps = removeTemps();
      Kept forContainers = new Kept(count(kept, LAYERS), count(kept, FIXUPS), count(kept, SnapshotStore.DIR),
          used.users(kept).size());
      if (forContainers.containers() > 0) {
        LOG.info("Prune kept {} layer(s), {} fixup(s) and {} snapshot(s) in use by {} container(s) of the store",
            forContainers.layers(), forContainers.fixups(), forContainers.snapshots(), forContainers.containers());
      }
      return new PruneResult(blobs, layers, fixups, temps, snapshotsRemoved, forContainers);
    }
  }

  private static int count(Set<Path> entries, String dir) {
    return (int) entries.stream().filter(e -> e.getParent().equals(Path.of(dir))).count();
  }

  /** The snapshots whose base manifest no image record names. */
  private List<SnapshotRecord> snapshotsOfGoneImages() throws IOException {
    Set<Digest> manifests = recordedManifests();
    return snapshots.list().stream().filter(s -> !manifests.contains(s.baseManifest())).toList();
  }

  /** Removes those of {@code candidates} that no container stacks; adds those kept to {@code kept}. */
  private int removeSnapshots(List<SnapshotRecord> candidates, EntryUsers used, Set<Path> kept) throws IOException {
    Set<String> unused = new HashSet<>();
    for (SnapshotRecord s : candidates) {
      Path entry = SnapshotStore.entry(s.key());
      if (used.used(entry)) {
        kept.add(entry);
      } else {
        unused.add(s.key());
      }
    }
    return snapshots.removeIf(s -> unused.contains(s.key()));
  }

  private int removeUnreferenced(String dir, Set<String> keep, EntryUsers used, Set<Path> kept) throws IOException {
    int removed = 0;
    try (Stream<Path> entries = Files.list(root.resolve(dir))) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        Path entry = Path.of(dir, p.getFileName().toString());
        if (keep.contains(p.getFileName().toString())) {
          continue;
        }
        if (used.used(entry)) {
          kept.add(entry);
        } else {
          remover.remove(p);
          removed++;
        }
      }
    }
    return removed;
  }

  /** Under the exclusive lock no pull runs, so all of tmp/ is left over. */
  private int removeTemps() throws IOException {
    int removed = 0;
    try (Stream<Path> entries = Files.list(root.resolve("tmp"))) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        remover.remove(p);
        removed++;
      }
    }
    return removed;
  }

  // ---- moving into place

  private static String tempName() {
    return ProcessHandle.current().pid() + "-" + UUID.randomUUID();
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(temp); // another process stored the same content
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("The store at " + temp.getParent().getParent() + " spans filesystems; keep it on one.", e);
    }
  }

  private void publishDir(Path workDir, Path target) throws IOException {
    try {
      Files.move(workDir, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      LOG.debug("{} was published by another process meanwhile", target);
      remover.remove(workDir);
    }
  }
}
