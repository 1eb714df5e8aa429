package dev.skiff.engine.network;

import java.io.IOException;
import java.nio.file.Path;

/** Makes the namespaces of networks; the container runtime implements it with its launcher. */
public interface NetworkNamespaces {
  /** A namespace that lives until it is closed or this JVM dies; {@code network} names it in messages. */
  NetworkNamespace create(String network) throws IOException;

  /** A namespace bind-mounted on {@code at}, a file that must not exist: it outlives this JVM until unpersisted. */
  void persist(String network, Path at) throws IOException;

  /** Unmounts a namespace {@linkplain #persist persisted} at {@code at}; it ends once no container uses it. */
  void unpersist(Path at) throws IOException;
}
