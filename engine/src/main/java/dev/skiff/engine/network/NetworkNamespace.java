package dev.skiff.engine.network;

import java.nio.file.Path;

/**
 * The network namespace behind a {@link Network}: one bridge, no address, no route. Made by the container runtime's
 * launcher; closing it ends the namespace unless it is {@linkplain NetworkNamespaces#persist persisted}.
 */
public interface NetworkNamespace extends AutoCloseable {
  /** A file that names the namespace, for a launcher to open: {@code /proc/PID/ns/net} or a bind mount of it. */
  Path path();

  @Override
  void close();
}
