package dev.skiff.engine.runtime;

import dev.skiff.engine.image.ImageConfig;
import dev.skiff.engine.store.ImageRecord;
import dev.skiff.engine.store.ImageStore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns pulled images into containers: an overlay of the image's layers plus a writable layer per container, run by
 * the skiff-launcher in new PID, mount, UTS, IPC and network namespaces. Containers live under
 * {@code STORE/containers/}; opening a runtime removes those whose JVM died. Closing it removes its containers.
 */
public final class ContainerRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerRuntime.class);
  private static final SecureRandom IDS = new SecureRandom();

  private final ImageStore store;
  private final Path containers;
  private final Set<Container> live = ConcurrentHashMap.newKeySet();
  private final ExecutorService io;
  private volatile LauncherBinary launcher;

  private ContainerRuntime(ImageStore store, Path containers) {
    this.store = store;
    this.containers = containers;
    AtomicInteger n = new AtomicInteger();
    this.io = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "skiff-container-io-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens the runtime over {@code store}, removing what containers of dead JVMs left there. */
  public static ContainerRuntime open(ImageStore store) throws IOException {
    Path containers = store.root().resolve("containers");
    Files.createDirectories(containers);
    int removed = ContainerDirectory.removeStale(containers);
    if (removed > 0) {
      LOG.info("Removed {} container(s) left by JVMs that are gone", removed);
    }
    return new ContainerRuntime(store, containers);
  }

  /**
   * Creates (but does not start) a container of {@code image}, whose config is {@code config}.
   *
   * @throws ContainerException when this process may not run containers, or the spec does not fit the image
   */
  public Container create(ContainerSpec spec, ImageRecord image, ImageConfig config) throws IOException {
    if (!Syscalls.isRoot()) {
      throw new ContainerException("Cannot run " + spec.image() + ": not root. Containers need root for now;"
          + " rootless containers (user namespaces) come in a later Skiff version. Run this JVM as root.");
    }
    List<Path> layersTopFirst = new ArrayList<>(store.rootfsLayers(image));
    java.util.Collections.reverse(layersTopFirst);
    String id = null;
    ContainerDirectory dir = null;
    for (int attempt = 0; dir == null; attempt++) {
      id = newId();
      try {
        dir = ContainerDirectory.create(containers, id, spec.name().orElse(id.substring(0, 12)), spec.image(),
            spec.labels());
      } catch (FileAlreadyExistsException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
    try {
      ImageUsers users = ImageUsers.read(layersTopFirst);
      ProcessSettings process = ProcessSettings.resolve(spec, config, users, id.substring(0, 12));
      LauncherSpec launch = new LauncherSpec()
          .put("rootfs", dir.rootfs().toString())
          .overlay(store.root(), layersTopFirst, dir.upper(), dir.work())
          .put("hostname", process.hostname())
          .putAll("arg", process.argv())
          .putAll("env", process.env())
          .put("cwd", process.workingDir())
          .put("uid", Integer.toString(process.identity().uid()))
          .put("gid", Integer.toString(process.identity().gid()))
          .putAll("group", process.identity().groups().stream().map(String::valueOf).toList());
      Map<String, Path> etcFiles = dir.writeEtcFiles(process.hostname());
      for (Map.Entry<String, Path> etc : etcFiles.entrySet()) {
        launch.bind(etc.getValue(), etc.getKey(), false);
      }
      PortRelay.configure(launch, spec, config, etcFiles.get("/etc/hosts"));
      for (ContainerSpec.Mount m : spec.mounts()) {
        if (m.type() == ContainerSpec.Mount.Type.BIND) {
          if (!Files.exists(m.source().get())) {
            throw new ContainerException("The bind mount source " + m.source().get() + " (for " + m.target()
                + ") does not exist on this host; create it first.");
          }
          launch.bind(m.source().get(), m.target(), m.readOnly());
        } else {
          launch.tmpfs(m.target(), m.options(), m.readOnly());
        }
      }
      int stopSignal = config.stopSignal().map(Signals::parse).orElse(Signals.SIGTERM);
      String name = spec.name().orElse(id.substring(0, 12));
      Container c = new Container(id, name, spec.image(), stopSignal, dir, launch, this);
      live.add(c);
      return c;
    } catch (IOException | RuntimeException e) {
      dir.delete();
      throw e;
    }
  }

  private static String newId() {
    byte[] bytes = new byte[32];
    IDS.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  LauncherSession launch(Path socket, LauncherSpec spec, ContainerLogs logs, String container) throws IOException {
    return LauncherSession.start(launcher(), socket, spec, logs, io, container);
  }

  private LauncherBinary launcher() throws IOException {
    LauncherBinary l = launcher;
    if (l == null) {
      synchronized (this) {
        if (launcher == null) {
          launcher = LauncherBinary.extract(store.root().resolve("bin"));
        }
        l = launcher;
      }
    }
    return l;
  }

  void forget(Container container) {
    live.remove(container);
  }

  /** Removes every container this runtime created that is not removed yet. */
  @Override
  public void close() {
    for (Container c : List.copyOf(live)) {
      try {
        c.remove();
      } catch (IOException e) {
        LOG.warn("Cannot remove {}: {}", c, e.getMessage());
      }
    }
    io.shutdown();
  }
}
