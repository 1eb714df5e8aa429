package dev.skiff.engine.network;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A network's IPv4 /24, picked at random in 10.128.0.0/9 so that a container can join several networks: two
 * networks of this JVM never share one, and stored networks rarely do (a container joining two that do fails).
 */
record Subnet(int base) {
  static final int PREFIX = 24;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<Integer> IN_USE = ConcurrentHashMap.newKeySet();

  /** A /24 no open network of this JVM uses; {@link #release()} it when the network closes. */
  static Subnet allocate(Collection<Subnet> avoid) {
    for (;;) {
      int base = (10 << 24) | (1 << 23) | (RANDOM.nextInt(1 << 15) << 8);
      if (avoid.stream().noneMatch(s -> s.base == base) && IN_USE.add(base)) {
        return new Subnet(base);
      }
    }
  }

  /** Parses "A.B.C.0/24". */
  static Subnet parse(String cidr) {
    String[] parts = cidr.split("/");
    if (parts.length != 2 || !parts[1].equals(Integer.toString(PREFIX))) {
      throw new IllegalArgumentException("'" + cidr + "' is not an IPv4 /24");
    }
    return new Subnet(parseAddress(parts[0]) & 0xffffff00);
  }

  void release() {
    IN_USE.remove(base);
  }

  /** The address of host number {@code host} (1..254) in this subnet. */
  int address(int host) {
    return base | host;
  }

  boolean contains(int address) {
    return (address & 0xffffff00) == base;
  }

  static String format(int address) {
    return (address >>> 24) + "." + ((address >> 16) & 0xff) + "." + ((address >> 8) & 0xff) + "." + (address & 0xff);
  }

  static int parseAddress(String dotted) {
    String[] octets = dotted.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
    }
    int a = 0;
    for (String o : octets) {
      int v = Integer.parseInt(o);
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
      }
      a = (a << 8) | v;
    }
    return a;
  }

  @Override
  public String toString() {
    return format(base) + "/" + PREFIX;
  }
}
