package dev.skiff.engine.wait;

import dev.skiff.engine.runtime.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Waits until TCP ports listen inside the container's network namespace (on any address: 0.0.0.0, ::, 127.0.0.1,
 * ...). Checked in the kernel's socket tables, not by connecting through the published host port: the host side
 * accepts connections before the server inside does.
 */
public final class ListeningPortWaitStrategy extends TimedWaitStrategy {
  private final int[] ports; // empty: every published TCP port

  ListeningPortWaitStrategy(int[] ports, Optional<Duration> startupTimeout) {
    super(startupTimeout);
    for (int p : ports) {
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException(p + " is not a TCP port (1-65535)");
      }
    }
    this.ports = ports.clone();
  }

  @Override
  public ListeningPortWaitStrategy withStartupTimeout(Duration timeout) {
    return new ListeningPortWaitStrategy(ports, Optional.of(timeout));
  }

  @Override
  void waitUntilReady(Container container, Duration timeout) throws ContainerNotReadyException {
    Set<Integer> awaited = new TreeSet<>();
    Arrays.stream(ports).forEach(awaited::add);
    if (awaited.isEmpty()) {
      awaited.addAll(PublishedPorts.tcp(container));
    }
    if (awaited.isEmpty()) {
      throw ContainerNotReadyException.of(container, "listening ports", Duration.ZERO, "it publishes no TCP port,"
          + " so there is none to wait for; publish one or name them with Wait.forListeningPorts(port...)");
    }
    Path procNet = Path.of("/proc", Long.toString(container.pid()), "net");
    Set<String> exposed = new TreeSet<>(container.imageConfig().exposedPorts());
    String hint = exposed.isEmpty() ? "" : "; the image exposes " + exposed;
    Polling.await(container, new Probe(Probe.CHEAP_CHECK_INTERVAL) {
      @Override
      String awaited() {
        return "TCP port" + (awaited.size() == 1 ? " " : "s ") + awaited + " listening inside the container";
      }

      @Override
      boolean ready() throws IOException {
        Set<Integer> listening = new TreeSet<>(listeningPorts(procNet));
        Set<Integer> missing = new TreeSet<>(awaited);
        missing.removeAll(listening);
        observe("not listening: " + missing + ", listening: " + listening + hint);
        return missing.isEmpty();
      }
    }, timeout);
  }

  /** The TCP ports with a socket in LISTEN state in the network namespace whose /proc/PID/net is {@code procNet}. */
  static Set<Integer> listeningPorts(Path procNet) throws IOException {
    Set<Integer> listening = new HashSet<>();
    for (String table : new String[] {"tcp", "tcp6"}) {
      try {
        listening.addAll(ProcNetTcp.listeningPorts(Files.readString(procNet.resolve(table))));
      } catch (NoSuchFileException e) {
        // tcp6 is missing when the kernel has no IPv6.
      }
    }
    return listening;
  }

  @Override
  public String toString() {
    return ports.length == 0 ? "Wait.forListeningPort()" : "Wait.forListeningPorts(" + Arrays.toString(ports) + ")";
  }
}
