package dev.skiff.engine;

import dev.skiff.engine.fs.TreeRemover;
import dev.skiff.engine.image.ImageConfig;
import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.layer.OwnershipRestorer;
import dev.skiff.engine.pull.ImagePuller;
import dev.skiff.engine.pull.PullListener;
import dev.skiff.engine.pull.PullPolicy;
import dev.skiff.engine.registry.RegistryClient;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerRuntime;
import dev.skiff.engine.runtime.ContainerSpec;
import dev.skiff.engine.runtime.UserNamespace;
import dev.skiff.engine.store.ImageRecord;
import dev.skiff.engine.store.ImageStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Skiff's engine, living in the caller's JVM: pulls images into a shared store and runs containers from them.
 * Thread-safe; one per JVM is plenty. Close it to remove its containers and stop its threads.
 */
public final class Engine implements AutoCloseable {
  private final EngineConfig config;
  private final ImageStore store;
  private final ImagePuller puller;
  private final ContainerRuntime runtime;

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
  }

  /**
   * Java 17 encodes file names by the locale, and under LANG=C it cannot write the non-ASCII names many images hold:
   * those pulls would fail, so say it up front.
   */
  private static void warnUnlessFileNamesAreUtf8() {
    String encoding = System.getProperty("sun.jnu.encoding", "UTF-8");
    if (!encoding.equalsIgnoreCase("UTF-8") && !encoding.equalsIgnoreCase("UTF8")) {
      LoggerFactory.getLogger(Engine.class).warn("This JVM encodes file names as {}, so image files whose names are not"
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

  /** Pulls {@code reference} under the configured pull policy. */
  public ImageRecord pull(String reference) throws IOException {
    return pull(ImageReference.parse(reference), config.pullPolicy(), PullListener.SILENT);
  }

  /** Pulls {@code reference} under {@code policy}, reporting to {@code listener}. */
  public ImageRecord pull(ImageReference reference, PullPolicy policy, PullListener listener) throws IOException {
    return puller.pull(reference, policy, listener);
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
   * {@link Container#start()}.
   */
  public Container create(ContainerSpec spec) throws IOException {
    ImageRecord image = pull(spec.image());
    byte[] config = store.blob(image.configDigest()).orElseThrow(() -> new IOException(
        "The config of " + spec.image() + " is missing from the store at " + store.root() + "; pull the image again."));
    return runtime.create(spec, image, ImageConfig.parse(config, spec.image()));
  }

  /** Creates and starts a container from {@code spec}. */
  public Container run(ContainerSpec spec) throws IOException {
    Container container = create(spec);
    try {
      return container.start();
    } catch (IOException | RuntimeException e) {
      container.remove();
      throw e;
    }
  }

  /** An image in the store together with its parsed config. */
  public record StoredImage(ImageRecord record, ImageConfig config) {}

  /** Forgets an image; {@link #prune()} then frees its content unless another image shares it. */
  public boolean remove(String reference) throws IOException {
    return store.removeImage(ImageReference.parse(reference).toString());
  }

  /** Removes content no image references. */
  public ImageStore.PruneResult prune() throws IOException {
    return store.prune();
  }

  @Override
  public void close() {
    runtime.close();
    puller.close();
  }
}
