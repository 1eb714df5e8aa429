package dev.skiff.engine.runtime;

import dev.skiff.engine.image.ImageConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Asks the launcher's port relay (src/main/native/relay.c) for a container's published ports and host access. The
 * relay runs in the launcher rather than in the JVM so that it works the same way rootless, where the JVM cannot
 * enter the container's network namespace; its measured throughput is in relay.c.
 */
final class PortRelay {
  private PortRelay() {}

  /** Adds the spec's port bindings (and the image's ExposedPorts on request) and host access to {@code launch}. */
  static void configure(LauncherSpec launch, ContainerSpec spec, ImageConfig config, Path hostsFile)
      throws IOException {
    for (PortBinding binding : bindings(spec, config)) {
      launch.put("publish", binding.protocol() + ":" + binding.containerPort() + ":"
          + binding.hostPort().orElse(0));
    }
    for (int port : spec.exposedHostPorts()) {
      launch.put("hostaccess", Integer.toString(port));
    }
    if (!spec.exposedHostPorts().isEmpty()) {
      HostAccess.nameIn(hostsFile);
    }
  }

  /** The spec's bindings, then the image's ExposedPorts that the spec does not publish, if asked for. */
  static List<PortBinding> bindings(ContainerSpec spec, ImageConfig config) throws ContainerException {
    List<PortBinding> all = new ArrayList<>(spec.ports());
    if (spec.publishesImageExposedPorts()) {
      List<PortBinding> published = all.stream().map(PortBinding::anyHostPort).toList();
      for (String exposed : new TreeSet<>(config.exposedPorts())) {
        PortBinding port;
        try {
          port = PortBinding.parse(exposed);
        } catch (IllegalArgumentException e) {
          throw new ContainerException("The image's ExposedPorts entry '" + exposed + "' is not PORT/tcp or PORT/udp;"
              + " publish this image's ports one by one instead of with publishImageExposedPorts().", e);
        }
        if (!published.contains(port)) {
          all.add(port);
        }
      }
    }
    return all;
  }
}
