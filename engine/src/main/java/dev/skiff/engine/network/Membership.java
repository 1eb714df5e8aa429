package dev.skiff.engine.network;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A container's place in a {@link Network}, made by the container runtime when it creates a container that joins
 * the network: the address its launcher gives the container's interface. {@link #leave()} when the container goes.
 */
public final class Membership {
  private final Network network;
  private final Member member;
  private boolean left;

  Membership(Network network, Member member) {
    this.network = network;
    this.member = member;
  }

  public Network network() {
    return network;
  }

  /** The file that names the network's namespace, for the launcher. */
  public Path namespace() {
    return network.namespacePath();
  }

  /** The container's address and prefix length in the network, e.g. {@code 10.200.3.2/24}. */
  public String addressWithPrefix() {
    return Subnet.format(member.address()) + "/" + Subnet.PREFIX;
  }

  /** Removes the container from the network and from the hosts files of the other members. */
  public synchronized void leave() throws IOException {
    if (!left) {
      left = true;
      network.leave(member);
    }
  }
}
