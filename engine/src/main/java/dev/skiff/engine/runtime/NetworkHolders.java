package dev.skiff.engine.runtime;

import dev.skiff.engine.network.NetworkNamespace;
import dev.skiff.engine.network.NetworkNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Network namespaces made by the launcher's network mode (src/main/native/network.c): a launcher process holds the
 * namespace and its bridge until its control socket reaches EOF, so a network cannot outlive this JVM; or it
 * bind-mounts the namespace on a file and exits, for networks that the skiff command line keeps (root only).
 */
final class NetworkHolders implements NetworkNamespaces {
  private final ContainerRuntime runtime;
  private final Path sockets;

  NetworkHolders(ContainerRuntime runtime, Path sockets) {
    this.runtime = runtime;
    this.sockets = sockets;
  }

  /** A running holder: its namespace is {@code /proc/PID/ns/net}; closing its socket ends it. */
  private record Holder(HolderProcess holder) implements NetworkNamespace {
    @Override
    public Path path() {
      return Path.of("/proc/" + holder.pid() + "/ns/net");
    }

    @Override
    public void close() {
      holder.close();
    }
  }

  @Override
  public NetworkNamespace create(String network) throws IOException {
    return new Holder(start(network, List.of()));
  }

  /**
   * {@inheritDoc}
   *
   * @throws ContainerException rootless: a bind mount on the host needs root, so such a network cannot be kept
   */
  @Override
  public void persist(String network, Path at) throws IOException {
    if (runtime.rootless()) {
      throw new ContainerException("Cannot create network " + network + " as user " + System.getProperty("user.name")
          + ": a network that outlives its JVM keeps its namespace with a bind mount on " + at + ", and only root"
          + " may mount on the host. Run 'skiff network create' as root, or use a network that lives as long as its"
          + " JVM (Engine.createNetwork, or the networks of a test's containers): those work rootless.");
    }
    try (HolderProcess holder = start(network, List.of(at.toString()))) {
      if (!holder.awaitExit()) {
        throw new ContainerException("The launcher that made network " + network + " did not exit after mounting it"
            + " on " + at);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerException("Interrupted while creating network " + network, e);
    }
  }

  @Override
  public void unpersist(Path at) throws IOException {
    if (Files.exists(at)) {
      String error = Syscalls.detachMount(at.toString());
      if (error != null && !error.contains("errno 22")) { // EINVAL: not mounted (any more)
        throw new ContainerException("Cannot unmount the network namespace " + at + ": " + error);
      }
    }
  }

  private HolderProcess start(String network, List<String> args) throws IOException {
    return HolderProcess.start(runtime.launcher(), sockets, "network", args, Optional.empty(), "network " + network);
  }
}
