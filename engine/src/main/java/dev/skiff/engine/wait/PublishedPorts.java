package dev.skiff.engine.wait;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.PortBinding;
import java.util.Set;
import java.util.TreeSet;

/** The container ports a container publishes, the defaults of the port and HTTP strategies. */
final class PublishedPorts {
  private PublishedPorts() {}

  /** The published TCP container ports, lowest first. */
  static Set<Integer> tcp(Container container) {
    Set<Integer> ports = new TreeSet<>();
    for (PortBinding b : container.publishedPorts().keySet()) {
      if (b.protocol() == PortBinding.Protocol.TCP) {
        ports.add(b.containerPort());
      }
    }
    return ports;
  }
}
