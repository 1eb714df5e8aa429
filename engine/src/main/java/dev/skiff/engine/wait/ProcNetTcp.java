package dev.skiff.engine.wait;

import java.util.HashSet;
import java.util.Set;

/**
 * Reads the kernel's TCP socket tables, {@code /proc/PID/net/tcp} and {@code tcp6}, which list the sockets of the
 * network namespace of process PID, one per line: {@code sl local_address rem_address st ...}, addresses as
 * {@code HEXIP:HEXPORT}.
 */
final class ProcNetTcp {
  /** The {@code st} column of a socket in LISTEN state (TCP_LISTEN in include/net/tcp_states.h). */
  private static final String LISTEN = "0A";

  private ProcNetTcp() {}

  /** The local ports of the LISTEN sockets in {@code table}, whatever address they are bound to. */
  static Set<Integer> listeningPorts(String table) {
    Set<Integer> ports = new HashSet<>();
    String[] lines = table.split("\n");
    for (int i = 1; i < lines.length; i++) { // the first line is the header
      String[] fields = lines[i].trim().split("\\s+");
      if (fields.length < 4 || !fields[3].equals(LISTEN)) {
        continue;
      }
      String local = fields[1];
      int colon = local.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("Unexpected local address '" + local + "' in a /proc/net/tcp line: "
            + lines[i]);
      }
      ports.add(Integer.parseInt(local.substring(colon + 1), 16));
    }
    return ports;
  }
}
