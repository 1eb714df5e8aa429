package dev.skiff.engine.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A network that containers join ({@code ContainerSpec.Builder.network(network, aliases...)}): its members reach each
 * other by container name and by alias, through their /etc/hosts, which is kept current as members come and go.
 * Nothing else is reachable from it. A container may join several networks.
 *
 * <p>A network is a network namespace holding one bridge; each member gets a veth pair onto it and an address in the
 * network's /24, with no default route. Closing the network (or the end of this JVM) ends the namespace, which cuts
 * its members off each other; {@code Engine.close()} closes the engine's networks. Thread-safe.
 */
public final class Network implements AutoCloseable {
  private static final int FIRST_HOST = 2; // .1 is left out, as a gateway would have it
  private static final int LAST_HOST = 254;

  private final String name;
  private final String tag;
  private final Subnet subnet;
  private final NetworkNamespace namespace;
  private final Members members;
  private final boolean ownsSubnet;
  private volatile boolean closed;

  Network(String name, String tag, Subnet subnet, NetworkNamespace namespace, Members members, boolean ownsSubnet) {
    this.name = name;
    this.tag = tag;
    this.subnet = subnet;
    this.namespace = namespace;
    this.members = members;
    this.ownsSubnet = ownsSubnet;
  }

  /**
   * A new network of this JVM named {@code name} (only messages and {@link #name()} use it); usually made by
   * {@code Engine.createNetwork}.
   */
  public static Network create(String name, NetworkNamespaces namespaces) throws IOException {
    requireValidName(name);
    Subnet subnet = Subnet.allocate(List.of());
    try {
      NetworkNamespace namespace = namespaces.create(name);
      String tag = "network " + name + " " + Long.toHexString(ProcessHandle.current().pid()) + "-"
          + Integer.toHexString(subnet.base() >>> 8);
      return new Network(name, tag, subnet, namespace, Members.inMemory(), true);
    } catch (IOException | RuntimeException e) {
      subnet.release();
      throw e;
    }
  }

  static void requireValidName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
      throw new IllegalArgumentException("'" + name + "' is not a valid network name ([A-Za-z0-9][A-Za-z0-9_.-]*,"
          + " at most 63 characters)");
    }
  }

  public String name() {
    return name;
  }

  /** The network's IPv4 subnet, e.g. {@code 10.200.3.0/24}. */
  public String subnet() {
    return subnet.toString();
  }

  Subnet subnetValue() {
    return subnet;
  }

  Path namespacePath() {
    return namespace.path();
  }

  /**
   * Adds a container to the network: allocates its address and names it {@code name} and {@code aliases} in the
   * hosts file of every member, its own {@code hostsFile} included. Called by the container runtime.
   *
   * @throws IllegalStateException when the network is closed or full (253 members)
   */
  public Membership join(String name, List<String> aliases, Path hostsFile) throws IOException {
    if (closed) {
      throw new IllegalStateException("Network " + this.name + " is closed; a container cannot join it");
    }
    Member[] joined = new Member[1];
    members.update(current -> {
      List<Member> next = new ArrayList<>();
      for (Member m : current) {
        if (Files.exists(m.hostsFile())) { // else its container is gone without leaving (its JVM died)
          next.add(m);
        }
      }
      Set<Integer> taken = next.stream().map(Member::address).collect(Collectors.toSet());
      int host = FIRST_HOST;
      while (host <= LAST_HOST && taken.contains(subnet.address(host))) {
        host++;
      }
      if (host > LAST_HOST) {
        throw new IllegalStateException("Network " + this.name + " is full: " + next.size() + " members use every"
            + " address of " + subnet + "; remove some or use another network");
      }
      joined[0] = new Member(name, aliases, subnet.address(host), hostsFile);
      next.add(joined[0]);
      writeHostsFiles(next);
      return next;
    });
    return new Membership(this, joined[0]);
  }

  void leave(Member member) throws IOException {
    members.update(current -> {
      List<Member> next = current.stream().filter(m -> m.address() != member.address()).toList();
      writeHostsFiles(next);
      return next;
    });
  }

  private void writeHostsFiles(List<Member> all) throws IOException {
    List<String> lines = all.stream().map(m -> m.hostsLine(tag)).toList();
    for (Member m : all) {
      HostsFile.replaceSection(m.hostsFile(), tag, lines);
    }
  }

  /** Ends the network's namespace (if this JVM made it): its members can no longer reach each other. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      namespace.close();
      if (ownsSubnet) {
        subnet.release();
      }
    }
  }

  @Override
  public String toString() {
    return "Network " + name + " (" + subnet + ")";
  }
}
