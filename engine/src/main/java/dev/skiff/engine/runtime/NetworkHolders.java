package dev.skiff.engine.runtime;

import dev.skiff.engine.network.NetworkNamespace;
import dev.skiff.engine.network.NetworkNamespaces;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces made by the launcher's network mode (src/main/native/network.c): a launcher process holds the
 * namespace and its bridge until its control socket reaches EOF, so a network cannot outlive this JVM; or it
 * bind-mounts the namespace on a file and exits, for networks that the skiff command line keeps.
 */
final class NetworkHolders implements NetworkNamespaces {
  private final ContainerRuntime runtime;
  private final Path sockets;

  NetworkHolders(ContainerRuntime runtime, Path sockets) {
    this.runtime = runtime;
    this.sockets = sockets;
  }

  /** A running holder: its namespace is {@code /proc/PID/ns/net}; closing its socket ends it. */
  private record Holder(Process process, SocketChannel control, long pid) implements NetworkNamespace {
    @Override
    public Path path() {
      return Path.of("/proc/" + pid + "/ns/net");
    }

    @Override
    public void close() {
      try {
        control.close();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  @Override
  public NetworkNamespace create(String network) throws IOException {
    return start(network, null);
  }

  @Override
  public void persist(String network, Path at) throws IOException {
    try (Holder holder = start(network, at)) {
      if (!holder.process().waitFor(5, TimeUnit.SECONDS)) {
        throw new ContainerException("The launcher that made network " + network + " did not exit after mounting it"
            + " on " + at);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerException("Interrupted while creating network " + network, e);
    }
  }

  @Override
  public void unpersist(Path at) throws IOException {
    if (Files.exists(at)) {
      String error = Syscalls.detachMount(at.toString());
      if (error != null && !error.contains("errno 22")) { // EINVAL: not mounted (any more)
        throw new ContainerException("Cannot unmount the network namespace " + at + ": " + error);
      }
    }
  }

  private Holder start(String network, Path persistAt) throws IOException {
    Files.createDirectories(sockets);
    Path socket = sockets.resolve(".holder-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Process process = runtime.launcher().start(executable -> command(executable, socket, persistAt));
      LauncherSession.wakeOnExit(process, server); // a launcher that dies early must not block accept()
      SocketChannel control = server.accept();
      String first = new BufferedReader(new InputStreamReader(Channels.newInputStream(control),
          StandardCharsets.UTF_8)).readLine();
      if (first == null || !first.startsWith("ready\t")) {
        control.close();
        process.destroyForcibly();
        if (first != null && first.startsWith("error\t")) {
          throw LauncherSession.startFailure("network " + network, first);
        }
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        throw new ContainerException("The launcher for network " + network + " exited before making it: " + stderr);
      }
      return new Holder(process, control, Long.parseLong(first.substring(6).trim()));
    } finally {
      Files.deleteIfExists(socket);
    }
  }

  private static ProcessBuilder command(String executable, Path socket, Path persistAt) {
    List<String> args = new ArrayList<>(List.of(executable, "network", socket.toString()));
    if (persistAt != null) {
      args.add(persistAt.toString());
    }
    return new ProcessBuilder(args).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
  }
}
