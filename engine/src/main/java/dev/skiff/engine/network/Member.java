package dev.skiff.engine.network;

import java.nio.file.Path;
import java.util.List;

/** A container in a network: its names there, its address (host order) and its hosts file, kept current. */
record Member(String name, List<String> aliases, int address, Path hostsFile) {
  Member {
    aliases = List.copyOf(aliases);
  }

  /** Its line in the hosts files of the network's members. */
  String hostsLine(String tag) {
    StringBuilder sb = new StringBuilder(Subnet.format(address)).append('\t').append(name);
    aliases.forEach(a -> sb.append(' ').append(a));
    return sb.append("\t# ").append(tag).toString();
  }
}
