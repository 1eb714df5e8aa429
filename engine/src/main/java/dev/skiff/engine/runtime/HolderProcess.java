package dev.skiff.engine.runtime;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A launcher that holds a namespace for this JVM (its modes {@code network} and {@code userns}, see
 * src/main/native/network.c and userns.c): it reports {@code ready\tPID} on its control socket, PID being the process
 * whose namespaces it holds, and keeps them until that socket reaches EOF, which {@link #close()} or the end of this
 * JVM brings.
 *
 * @param pid the process whose {@code /proc/PID/ns/*} are the held namespaces
 */
record HolderProcess(Process process, SocketChannel control, long pid) implements AutoCloseable {
  /**
   * Starts {@code launcher MODE SOCKET ARGS...} with a control socket in {@code socketDir}, sends it {@code spec} if
   * any, and returns once it reports ready.
   *
   * @param what names the held thing in messages, e.g. {@code "network cache"}
   * @throws ContainerException with the failed call, its path and errno when the launcher reports one
   */
  static HolderProcess start(LauncherBinary launcher, Path socketDir, String mode, List<String> args,
      Optional<LauncherSpec> spec, String what) throws IOException {
    Files.createDirectories(socketDir);
    Path socket = socketDir.resolve(".holder-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Process process = launcher.start(executable -> command(executable, mode, socket, args));
      LauncherSession.wakeOnExit(process, server); // a launcher that dies early must not block accept()
      SocketChannel control = null;
      String first;
      try {
        control = server.accept();
        if (spec.isPresent()) {
          ByteBuffer framed = ByteBuffer.wrap(spec.get().frame());
          while (framed.hasRemaining()) {
            control.write(framed);
          }
        }
        first = new BufferedReader(new InputStreamReader(Channels.newInputStream(control), StandardCharsets.UTF_8))
            .readLine();
      } catch (IOException e) {
        first = null; // it died before reporting; its stderr says why
      }
      if (first == null || !first.startsWith("ready\t")) {
        if (control != null) {
          control.close();
        }
        process.destroyForcibly();
        if (first != null && first.startsWith("error\t")) {
          throw LauncherTask.failure("making " + what, first);
        }
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        throw new ContainerException("The launcher for " + what + " exited before making it: " + stderr);
      }
      return new HolderProcess(process, control, Long.parseLong(first.substring(6).trim()));
    } finally {
      Files.deleteIfExists(socket);
    }
  }

  private static ProcessBuilder command(String executable, String mode, Path socket, List<String> args) {
    List<String> command = new ArrayList<>(List.of(executable, mode, socket.toString()));
    command.addAll(args);
    return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
  }

  /** Waits up to 5 s for the launcher to exit by itself (a persisting network holder does). */
  boolean awaitExit() throws InterruptedException {
    return process.waitFor(5, TimeUnit.SECONDS);
  }

  /** Closes the control socket, which ends the held namespaces unless something else uses them, and waits. */
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
