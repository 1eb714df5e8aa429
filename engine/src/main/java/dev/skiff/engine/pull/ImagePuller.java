package dev.skiff.engine.pull;

import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.image.Descriptor;
import dev.skiff.engine.image.ImageConfig;
import dev.skiff.engine.image.ImageIndex;
import dev.skiff.engine.image.ImageManifest;
import dev.skiff.engine.image.ImageNameSubstitution;
import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.image.ManifestDocument;
import dev.skiff.engine.image.Platform;
import dev.skiff.engine.layer.LayerUnpacker;
import dev.skiff.engine.layer.OwnershipRestorer;
import dev.skiff.engine.layer.UnpackOptions;
import dev.skiff.engine.registry.RegistryClient;
import dev.skiff.engine.registry.RegistryClient.ManifestResponse;
import dev.skiff.engine.store.ImageRecord;
import dev.skiff.engine.store.ImageStore;
import dev.skiff.engine.store.StoreLock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls images into an {@link ImageStore}: resolves the manifest (choosing this machine's platform from an index),
 * then downloads and unpacks the missing layers in parallel, each in one streaming pass, and records the image only
 * when every piece is verified. Safe to call from many threads and JVMs on one store: each layer is downloaded
 * once.
 */
public final class ImagePuller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ImagePuller.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ImageStore store;
  private final RegistryClient registry;
  private final ImageNameSubstitution substitution;
  private final Platform platform;
  private final OwnershipRestorer owners;
  private final LayerUnpacker unpacker;
  private final ExecutorService downloads;

  /**
   * @param concurrentDownloads layers downloaded at once, across all pulls of this puller
   */
  public ImagePuller(ImageStore store, RegistryClient registry, ImageNameSubstitution substitution, Platform platform,
      int concurrentDownloads) {
    this(store, registry, substitution, platform, concurrentDownloads, OwnershipRestorer.NONE);
  }

  /**
   * @param concurrentDownloads layers downloaded at once, across all pulls of this puller
   * @param owners gives files the owners their layers record when this process cannot (not root)
   */
  public ImagePuller(ImageStore store, RegistryClient registry, ImageNameSubstitution substitution, Platform platform,
      int concurrentDownloads, OwnershipRestorer owners) {
    this.store = store;
    this.registry = registry;
    this.substitution = substitution;
    this.platform = platform;
    this.owners = owners;
    this.unpacker = new LayerUnpacker(UnpackOptions.forCurrentUser(), owners);
    this.downloads = Executors.newFixedThreadPool(concurrentDownloads, r -> {
      Thread t = new Thread(r, "skiff-pull-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Makes {@code image} available in the store according to {@code policy} and returns its record.
   *
   * @throws PullException (or a {@link dev.skiff.engine.registry.RegistryException}) saying what failed and what to do;
   *     nothing partial is left visible in the store
   */
  public ImageRecord pull(ImageReference image, PullPolicy policy, PullListener listener) throws IOException {
    String name = image.toString();
    boolean ok = false;
    try (StoreLock ignored = store.sharedUse()) {
      Optional<ImageRecord> existing = store.image(name).filter(this::isComplete);
      if (policy == PullPolicy.NEVER) {
        ImageRecord found = existing.orElseThrow(() -> new PullException(name + " is not in the image store at "
            + store.root() + " and the pull policy is 'never' (offline). Pull it once while online ('skiff pull "
            + image.familiarName() + "'), or set skiff.pull.policy=missing."));
        ok = true;
        return found;
      }
      if (policy == PullPolicy.MISSING && existing.isPresent()) {
        ok = true;
        return existing.get();
      }
      ImageRecord record = fetch(image, existing, listener);
      ok = true;
      return record;
    } finally {
      listener.finished(name, ok);
    }
  }

  /**
   * The digest {@code image}'s tag names now (the index's, for a multi-platform image), asked of the registry after
   * substitutions and mirrors; nothing is downloaded but the manifest.
   */
  public Digest currentDigest(ImageReference image) throws IOException {
    return registry.fetchManifest(substitution.apply(image)).digest();
  }

  private ImageRecord fetch(ImageReference image, Optional<ImageRecord> existing, PullListener listener)
      throws IOException {
    ImageReference source = substitution.apply(image);
    if (!source.equals(image)) {
      LOG.info("Pulling {} from {}", image.familiarName(), source);
    }
    ManifestResponse top = registry.fetchManifest(source);
    ManifestDocument document = ManifestDocument.parse(top.body(), top.contentType(), source.toString());
    Optional<Digest> indexDigest = Optional.empty();
    ManifestResponse chosen = top;
    if (document instanceof ImageIndex index) {
      store.putBlob(top.digest(), top.body());
      indexDigest = Optional.of(top.digest());
      Descriptor entry = index.select(platform).orElseThrow(() -> new PullException(source + " offers no image for "
          + platform + "; it has " + index.platforms() + ". Pick another tag, or set skiff.platform to one of those"
          + " (it must be able to run here)."));
      chosen = registry.fetchManifest(source, entry.digest());
      document = ManifestDocument.parse(chosen.body(), chosen.contentType(), source + "@" + entry.digest());
      if (!(document instanceof ImageManifest)) {
        throw new PullException(source + ": the index entry for " + platform + " is itself an index; nested indexes"
            + " are not supported.");
      }
    }
    ImageManifest manifest = (ImageManifest) document;
    if (existing.isPresent() && existing.get().manifestDigest().equals(chosen.digest())) {
      return existing.get(); // policy ALWAYS, nothing changed
    }
    byte[] configBytes = store.blob(manifest.config().digest()).orElse(null);
    if (configBytes == null) {
      configBytes = registry.fetchBlob(source, manifest.config());
    }
    ImageConfig config = ImageConfig.parse(configBytes, source.toString());
    if (config.diffIds().size() != manifest.layers().size()) {
      throw new PullException(source + ": the manifest lists " + manifest.layers().size() + " layers but the image"
          + " config lists " + config.diffIds().size() + " diff_ids; the image is malformed. Rebuild and push it.");
    }
    if (!config.architecture().isEmpty() && !config.architecture().equals(platform.architecture())) {
      LOG.warn("{} is built for {}/{} but this machine is {}; its programs may not run here", source, config.os(),
          config.architecture(), platform);
    }
    pullLayers(source, manifest, config, listener);
    store.putBlob(chosen.digest(), chosen.body());
    store.putBlob(manifest.config().digest(), configBytes);
    List<ImageRecord.Layer> layers = new ArrayList<>();
    for (int i = 0; i < manifest.layers().size(); i++) {
      Descriptor d = manifest.layers().get(i);
      layers.add(new ImageRecord.Layer(d.digest(), d.size(), d.mediaType(), config.diffIds().get(i)));
    }
    ImageRecord record = new ImageRecord(image.toString(), source.toString(), indexDigest, chosen.digest(),
        manifest.config().digest(), config.os() + "/" + config.architecture(), layers, Instant.now());
    new CrossLayerLinks(store, owners).resolve(record);
    store.putImage(record);
    return record;
  }

  private void pullLayers(ImageReference source, ImageManifest manifest, ImageConfig config, PullListener listener)
      throws IOException {
    List<LayerDownload> missing = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < manifest.layers().size(); i++) {
      Descriptor blob = manifest.layers().get(i);
      total += blob.size();
      Digest diffId = config.diffIds().get(i);
      if (store.layer(diffId).isEmpty()) {
        missing.add(new LayerDownload(store, registry, unpacker, source, blob, diffId, listener));
      }
    }
    listener.started(source.toString(), manifest.layers().size(), total, manifest.layers().size() - missing.size());
    List<Future<?>> running = new ArrayList<>();
    for (LayerDownload d : missing) {
      running.add(downloads.submit(() -> {
        d.run();
        return null;
      }));
    }
    IOException failure = null;
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        running.forEach(r -> r.cancel(true));
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("Interrupted while pulling " + source);
      } catch (CancellationException e) {
        // cancelled because another layer failed first; that failure is reported
      } catch (ExecutionException e) {
        IOException cause = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        if (failure == null) {
          failure = cause;
          running.forEach(r -> r.cancel(true)); // the pull has failed; stop the other downloads
        } else if (failure != cause) {
          failure.addSuppressed(cause);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Whether every layer of the record is still in the store (a prune may have raced a crash). */
  private boolean isComplete(ImageRecord record) {
    try {
      for (ImageRecord.Layer layer : record.layers()) {
        if (store.layer(layer.diffId()).isEmpty()) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    downloads.shutdownNow();
  }
}
