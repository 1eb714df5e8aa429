package dev.skiff.engine;

import dev.skiff.engine.fs.TreeRemover;
import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.image.ImageConfig;
import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.layer.OwnershipRestorer;
import dev.skiff.engine.lock.ImageLock;
import dev.skiff.engine.lock.ImageLock.Pin;
import dev.skiff.engine.lock.LockFile;
import dev.skiff.engine.network.Network;
import dev.skiff.engine.network.StoredNetworks;
import dev.skiff.engine.pull.ImagePuller;
import dev.skiff.engine.pull.PullListener;
import dev.skiff.engine.pull.PullPolicy;
import dev.skiff.engine.registry.RegistryClient;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerException;
import dev.skiff.engine.runtime.ContainerRuntime;
import dev.skiff.engine.runtime.ContainerSpec;
import dev.skiff.engine.runtime.UserNamespace;
import dev.skiff.engine.store.ImageInUseException;
import dev.skiff.engine.store.ImageRecord;
import dev.skiff.engine.store.ImageStore;
import dev.skiff.engine.store.StoreLock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skiff's engine, living in the caller's JVM: pulls images into a shared store and runs containers from them.
 * Thread-safe; one per JVM is plenty. Close it to remove its containers and stop its threads.
 */
public final class Engine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  private final EngineConfig config;
  private final ImageStore store;
  private final ImagePuller puller;
  private final ContainerRuntime runtime;
  private final Optional<ImageLock> lock;
  /** One pin per tag and engine: the lock file and registry are asked once, however many containers use it. */
  private final Map<ImageReference, FutureTask<Pin>> pins = new ConcurrentHashMap<>();
  private final java.util.Set<Network> networks = ConcurrentHashMap.newKeySet();

  private Engine(EngineConfig config) throws IOException {
    warnUnlessFileNamesAreUtf8();
    this.config = config;
    Optional<UserNamespace> userNamespace =
        UserNamespace.forCurrentUser(config.store().toAbsolutePath().normalize().resolve("bin"));
    this.store = ImageStore.open(config.store(), userNamespace.<TreeRemover>map(u -> u).orElse(TreeRemover.PLAIN));
    this.runtime = ContainerRuntime.open(store, userNamespace);
    RegistryClient registry = RegistryClient.builder()
        .insecureRegistries(config.insecureRegistries())
        .connectTimeout(config.connectTimeout())
        .readTimeout(config.readTimeout())
        .credentials(config.credentials())
        .build();
    this.puller = new ImagePuller(store, registry, config.substitution(), config.platform(), config.pullConcurrency(),
        userNamespace.<OwnershipRestorer>map(u -> u).orElse(OwnershipRestorer.NONE));
    this.lock = config.lockFile()
        .map(file -> new ImageLock(LockFile.at(file), this::currentDigest, config.lockUpdate()));
  }

  /**
   * Java 17 encodes file names by the locale, and under LANG=C it cannot write the non-ASCII names many images hold:
   * those pulls would fail, so say it up front.
   */
  private static void warnUnlessFileNamesAreUtf8() {
    String encoding = System.getProperty("sun.jnu.encoding", "UTF-8");
    if (!encoding.equalsIgnoreCase("UTF-8") && !encoding.equalsIgnoreCase("UTF8")) {
      LOG.warn("This JVM encodes file names as {}, so image files whose names are not"
          + " ASCII cannot be written. Start it in a UTF-8 locale, e.g. LC_ALL=C.UTF-8 (for Maven tests:"
          + " <environmentVariables><LC_ALL>C.UTF-8</LC_ALL></environmentVariables> in Surefire).", encoding);
    }
  }

  /** An engine configured from system properties, environment and skiff.properties. */
  public static Engine create() throws IOException {
    return new Engine(EngineConfig.fromEnvironment());
  }

  /** An engine with an explicit configuration. */
  public static Engine create(EngineConfig config) throws IOException {
    return new Engine(config);
  }

  public EngineConfig config() {
    return config;
  }

  public ImageStore store() {
    return store;
  }

  /**
   * Pulls {@code reference} under the configured pull policy; with a {@linkplain EngineConfig#lockFile() lock file},
   * a tag is pulled at its {@linkplain #pin locked digest}.
   */
  public ImageRecord pull(String reference) throws IOException {
    ImageReference parsed = ImageReference.parse(reference);
    Optional<Pin> pin = pin(parsed);
    return pull(pin.isPresent() ? pin.get().pinned() : parsed, config.pullPolicy(), PullListener.SILENT);
  }

  /**
   * The digest the {@linkplain EngineConfig#lockFile() lock file} pins {@code reference}'s tag to, recording it on
   * the tag's first use; empty without a lock file. Each tag is resolved once per engine, and a tag that moved since
   * it was recorded is logged as a warning (the recorded digest is still used unless {@code skiff.lock.update}).
   */
  public Optional<Pin> pin(ImageReference reference) throws IOException {
    if (lock.isEmpty()) {
      return Optional.empty();
    }
    FutureTask<Pin> task = new FutureTask<>(() -> lock.get().pin(reference));
    FutureTask<Pin> first = pins.putIfAbsent(reference, task);
    if (first == null) {
      task.run();
      first = task;
    }
    try {
      Pin pin = first.get();
      if (first == task) {
        logPin(pin);
      }
      return Optional.of(pin);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while resolving " + reference + " in " + lock.get().file());
    } catch (ExecutionException e) {
      pins.remove(reference, first); // a later use tries again
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException("Cannot pin " + reference + " with "
          + lock.get().file() + ": " + cause, cause);
    }
  }

  private void logPin(Pin pin) {
    String tag = pin.reference().familiarName();
    switch (pin.status()) {
      case RECORDED -> LOG.info("Locked {} to {} in {}", tag, pin.digest(), lock.get().file());
      case UPDATED -> LOG.info("Updated {} to {} in {}", tag, pin.digest(), lock.get().file());
      case MOVED -> LOG.warn("{} now names {}, but {} locks it to {}; using {}. To move to the new image, run once with"
          + " -Dskiff.lock.update=true and commit the lock file.", tag, pin.current().orElseThrow(),
          lock.get().file(), pin.digest(), pin.digest());
      case UNCHECKED -> LOG.debug("Could not check whether {} moved; using {} from {}", tag, pin.digest(),
          lock.get().file());
      default -> { }
    }
  }

  /** Pulls {@code reference} under {@code policy}, reporting to {@code listener}. */
  public ImageRecord pull(ImageReference reference, PullPolicy policy, PullListener listener) throws IOException {
    return puller.pull(reference, policy, listener);
  }

  /**
   * The digest {@code reference}'s tag names now: the registry's answer (the index digest for a multi-platform
   * image), or under pull policy {@code never} the stored image's. Pulling {@code reference} pinned to it gives the
   * same image. Used to {@linkplain dev.skiff.engine.lock.ImageLock lock} tags.
   */
  public Digest currentDigest(ImageReference reference) throws IOException {
    if (config.pullPolicy() == PullPolicy.NEVER) {
      ImageRecord stored = pull(reference, PullPolicy.NEVER, PullListener.SILENT);
      return stored.indexDigest().orElse(stored.manifestDigest());
    }
    return puller.currentDigest(reference);
  }

  /** Every image in the store. */
  public List<ImageRecord> images() throws IOException {
    return store.images();
  }

  /** A stored image with its config, if the store has {@code reference}. */
  public Optional<StoredImage> inspect(String reference) throws IOException {
    Optional<ImageRecord> record = store.image(ImageReference.parse(reference).toString());
    if (record.isEmpty()) {
      return Optional.empty();
    }
    byte[] config = store.blob(record.get().configDigest()).orElseThrow(() -> new IOException(
        "The config of " + reference + " is missing from the store at " + store.root() + "; pull the image again."));
    return Optional.of(new StoredImage(record.get(), ImageConfig.parse(config, reference)));
  }

  /**
   * Creates a container from {@code spec}, pulling its image under the configured pull policy; start it with
   * {@link Container#start()}. A {@linkplain ContainerSpec#snapshot() snapshot} spec's container is stacked on the
   * store's snapshot of an equal spec, which a seed container builds first when there is none (unless the
   * configuration turns {@linkplain EngineConfig#snapshots() snapshots} off).
   */
  public Container create(ContainerSpec spec) throws IOException {
    ContainerSpec allowed = spec.snapshot() && !config.snapshots() ? spec.toBuilder().snapshot(false).build() : spec;
    // One hold of the store's file lock for the pull check and the creation, which take it too: no prune between them.
    try (StoreLock using = store.sharedUse()) {
      ImageRecord image = pull(spec.image());
      byte[] config = store.blob(image.configDigest()).orElseThrow(() -> new IOException("The config of "
          + spec.image() + " is missing from the store at " + store.root() + "; pull the image again."));
      return runtime.create(allowed, image, ImageConfig.parse(config, spec.image()));
    }
  }

  /**
   * Creates and starts a container from {@code spec}; returns once it is ready. A container that fails to start or to
   * become ready is removed and, up to {@linkplain ContainerSpec#startupAttempts() startupAttempts} times in all,
   * replaced by a new one; the last failure is thrown with the earlier ones suppressed.
   */
  public Container run(ContainerSpec spec) throws IOException {
    List<ContainerException> earlier = new ArrayList<>();
    for (int attempt = 1; ; attempt++) {
      Container container = create(spec);
      try {
        return container.start();
      } catch (ContainerException e) {
        container.remove();
        if (attempt >= spec.startupAttempts()) {
          earlier.forEach(e::addSuppressed);
          throw e;
        }
        LOG.warn("Attempt {} of {} to start a container of {} failed; trying a new container: {}", attempt,
            spec.startupAttempts(), spec.image(), e.getMessage());
        earlier.add(e);
      } catch (IOException | RuntimeException e) {
        container.remove();
        throw e;
      }
    }
  }

  /**
   * Creates a network that containers join with {@link ContainerSpec.Builder#network}; {@code name} shows in messages.
   * It lives until closed, or until this engine is closed or this JVM ends.
   */
  public Network createNetwork(String name) throws IOException {
    Network network = Network.create(name, runtime.networkNamespaces());
    networks.add(network);
    return network;
  }

  /** Creates a network with a generated name; see {@link #createNetwork(String)}. */
  public Network createNetwork() throws IOException {
    return createNetwork("network-" + Long.toHexString(System.nanoTime()));
  }

  /** The networks of the store that outlive this JVM, as the skiff command line keeps them. */
  public StoredNetworks storedNetworks() {
    return new StoredNetworks(store.root().resolve("networks"), runtime.networkNamespaces());
  }

  /** An image in the store together with its parsed config. */
  public record StoredImage(ImageRecord record, ImageConfig config) {}

  /**
   * Forgets an image (and its snapshots, unless another reference names the same manifest); {@link #prune()} then
   * frees its content unless another image shares it.
   *
   * @return whether it was in the store
   * @throws ImageInUseException when containers of the store (in any process) use files only this image keeps:
   *     remove them first, or use {@link #remove(String, boolean)} with force
   */
  public boolean remove(String reference) throws IOException {
    return remove(reference, false);
  }

  /**
   * Forgets an image as {@link #remove(String)} does; with {@code force} even when containers use it, whose files
   * (layers, snapshots) then stay until those containers are removed, and a prune after that frees them.
   */
  public boolean remove(String reference, boolean force) throws IOException {
    return store.removeImage(ImageReference.parse(reference).toString(), runtime::uses, force);
  }

  /** The names of the containers of the store that use files only the image {@code reference} keeps. */
  public List<String> containersUsing(String reference) throws IOException {
    return store.containersUsing(ImageReference.parse(reference).toString(), runtime::uses);
  }

  /** The container runtime: containers of this store, including those other processes run. */
  public ContainerRuntime runtime() {
    return runtime;
  }

  /**
   * Removes content no image references, except the layers and snapshots that containers of the store (in any
   * process, running or not yet removed) stack: those stay until the containers are removed.
   */
  public ImageStore.PruneResult prune() throws IOException {
    return store.prune(runtime::uses);
  }

  /**
   * As {@link #prune()}, and removes the snapshots no container has started from for {@code snapshotsUnusedFor}
   * ({@link Duration#ZERO}: all that no container stacks now), e.g. those of init scripts since edited.
   */
  public ImageStore.PruneResult prune(Duration snapshotsUnusedFor) throws IOException {
    return store.prune(runtime::uses, snapshotsUnusedFor);
  }

  @Override
  public void close() {
    runtime.close();
    networks.forEach(Network::close);
    puller.close();
  }
}
