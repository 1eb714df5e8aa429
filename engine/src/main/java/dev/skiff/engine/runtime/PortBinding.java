package dev.skiff.engine.runtime;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A container port to publish on the host's 127.0.0.1: on a free host port (the default) or on a fixed one
 * ({@link #onHostPort(int)}). Immutable; two bindings are equal when protocol, container port and fixed host port
 * are.
 */
public final class PortBinding {
  /** Transport protocols a port can be published for. */
  public enum Protocol {
    TCP, UDP;

    /** {@code tcp} or {@code udp}, as Docker writes it. */
    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Protocol protocol;
  private final int containerPort;
  private final int hostPort; // 0: any free port

  private PortBinding(Protocol protocol, int containerPort, int hostPort) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.containerPort = requirePort("container port", containerPort);
    this.hostPort = hostPort == 0 ? 0 : requirePort("host port", hostPort);
  }

  /** The TCP port {@code containerPort}, published on a free host port. */
  public static PortBinding tcp(int containerPort) {
    return new PortBinding(Protocol.TCP, containerPort, 0);
  }

  /** The UDP port {@code containerPort}, published on a free host port. */
  public static PortBinding udp(int containerPort) {
    return new PortBinding(Protocol.UDP, containerPort, 0);
  }

  /**
   * Parses Docker's {@code -p} syntax {@code [HOST_PORT:]CONTAINER_PORT[/tcp|/udp]}, e.g. {@code 6379},
   * {@code 8080:80} or {@code 53/udp}. Also reads an image's ExposedPorts entries such as {@code 6379/tcp}.
   */
  public static PortBinding parse(String text) {
    String ports = text;
    Protocol protocol = Protocol.TCP;
    int slash = text.indexOf('/');
    if (slash >= 0) {
      String name = text.substring(slash + 1);
      if (!name.equals("tcp") && !name.equals("udp")) {
        throw new IllegalArgumentException("'" + text + "' names protocol '" + name + "'; use tcp or udp");
      }
      protocol = name.equals("udp") ? Protocol.UDP : Protocol.TCP;
      ports = text.substring(0, slash);
    }
    if (!ports.matches("(\\d{1,5}:)?\\d{1,5}")) {
      throw new IllegalArgumentException("'" + text + "' is not a port binding; write [HOST_PORT:]CONTAINER_PORT[/udp],"
          + " e.g. 8080:80 or 53/udp");
    }
    int colon = ports.indexOf(':');
    PortBinding binding = new PortBinding(protocol, Integer.parseInt(ports.substring(colon + 1)), 0);
    return colon < 0 ? binding : binding.onHostPort(Integer.parseInt(ports.substring(0, colon)));
  }

  /** This binding on the fixed host port {@code hostPort}; starting the container fails if that port is in use. */
  public PortBinding onHostPort(int hostPort) {
    return new PortBinding(protocol, containerPort, requirePort("host port", hostPort));
  }

  public Protocol protocol() {
    return protocol;
  }

  public int containerPort() {
    return containerPort;
  }

  /** The fixed host port, empty when any free port will do. */
  public OptionalInt hostPort() {
    return hostPort == 0 ? OptionalInt.empty() : OptionalInt.of(hostPort);
  }

  /** This binding without its fixed host port: how {@link Container#publishedPorts()} keys it. */
  PortBinding anyHostPort() {
    return hostPort == 0 ? this : new PortBinding(protocol, containerPort, 0);
  }

  private static int requirePort(String what, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("The " + what + " must be within 1..65535, not " + port);
    }
    return port;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PortBinding p && p.protocol == protocol && p.containerPort == containerPort
        && p.hostPort == hostPort;
  }

  @Override
  public int hashCode() {
    return Objects.hash(protocol, containerPort, hostPort);
  }

  /** Docker's notation: {@code 6379/tcp}, or {@code 8080:80/tcp} with a fixed host port. */
  @Override
  public String toString() {
    return (hostPort == 0 ? "" : hostPort + ":") + containerPort + "/" + protocol;
  }
}
