package dev.skiff.engine.wait;

import dev.skiff.engine.runtime.Container;
import java.util.Set;

/** The container ports a container publishes, the defaults of the port and HTTP strategies. */
final class PublishedPorts {
  private PublishedPorts() {}

  /** The published TCP container ports. */
  static Set<Integer> tcp(Container container) {
    return Set.of(); // TODO(wait): Container.publishedPorts() once branch net is merged
  }
}
