package dev.skiff.engine.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which host port the launcher's relay gave each published container port, read from its
 * {@code port\tPROTO\tCONTAINER_PORT\tHOST_PORT} lines. Keys carry no fixed host port. Immutable.
 */
final class PublishedPorts {
  static final PublishedPorts NONE = new PublishedPorts(Map.of());

  private final Map<PortBinding, Integer> hostPorts;

  private PublishedPorts(Map<PortBinding, Integer> hostPorts) {
    this.hostPorts = Collections.unmodifiableMap(hostPorts);
  }

  /** Adds the binding of one {@code port\t...} line of the launcher. */
  PublishedPorts with(String launcherLine) {
    String[] f = launcherLine.split("\t");
    if (f.length != 4 || !f[0].equals("port")) {
      throw new IllegalArgumentException("Not a port line of the launcher: " + launcherLine);
    }
    Map<PortBinding, Integer> more = new LinkedHashMap<>(hostPorts);
    int containerPort = Integer.parseInt(f[2]);
    more.put(f[1].equals("udp") ? PortBinding.udp(containerPort) : PortBinding.tcp(containerPort),
        Integer.parseInt(f[3]));
    return new PublishedPorts(more);
  }

  Map<PortBinding, Integer> asMap() {
    return hostPorts;
  }

  /** @throws IllegalArgumentException naming {@code container} and the ports it does publish */
  int hostPort(String container, int containerPort, PortBinding.Protocol protocol) {
    PortBinding key = protocol == PortBinding.Protocol.UDP ? PortBinding.udp(containerPort)
        : PortBinding.tcp(containerPort);
    Integer port = hostPorts.get(key);
    if (port == null) {
      throw new IllegalArgumentException("Container " + container + " does not publish " + key + "; it publishes "
          + (hostPorts.isEmpty() ? "no ports" : hostPorts.keySet().stream().map(String::valueOf)
              .collect(Collectors.joining(", ")))
          + ". Publish it with ContainerSpec.Builder.publish(PortBinding." + protocol.toString() + "(" + containerPort
          + ")) or exposedPorts(" + containerPort + ").");
    }
    return port;
  }

  /** As {@code container.json} records them: {@code [{"protocol":"tcp","container":6379,"host":41234}]}. */
  ArrayNode toJson() {
    ArrayNode ports = JsonNodeFactory.instance.arrayNode();
    hostPorts.forEach((binding, host) -> ports.addObject()
        .put("protocol", binding.protocol().toString())
        .put("container", binding.containerPort())
        .put("host", host));
    return ports;
  }
}
