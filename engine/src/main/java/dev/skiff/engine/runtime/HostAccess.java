package dev.skiff.engine.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How a container reaches the host ports a test exposes ({@link ContainerSpec.Builder#exposeHostPorts}): the
 * launcher's relay listens on {@link #ADDRESS}:PORT inside the container's network namespace and forwards to the
 * host's 127.0.0.1:PORT; the container's /etc/hosts names that address {@link #NAME}.
 *
 * <p>The listener shares the container's port space: a container process cannot also listen on 0.0.0.0 at an
 * exposed host port's number.
 */
final class HostAccess {
  /** The name containers use for the host. */
  static final String NAME = "host.skiff.internal";
  /** Must match HOST_ACCESS_ADDR in src/main/native/launcher.h. */
  static final String ADDRESS = "127.0.0.2";

  private HostAccess() {}

  /** Adds the {@link #NAME} line to a container's hosts file. */
  static void nameIn(Path hostsFile) throws IOException {
    Files.writeString(hostsFile, ADDRESS + "\t" + NAME + "\n", StandardOpenOption.APPEND);
  }
}
