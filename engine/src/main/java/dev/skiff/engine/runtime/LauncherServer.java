package dev.skiff.engine.runtime;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A launcher in serve mode ({@code src/main/native/server.c}) that forks this engine's container launchers: a fork of
 * that small static process costs a fraction of a {@link ProcessBuilder} start (the JDK's jspawnhelper, then a second
 * exec). It exits when this JVM closes its socket or dies; the launchers it forked stay tied to the JVM by their own
 * sockets.
 */
final class LauncherServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LauncherServer.class);
  private static final long REPLY_SECONDS = 10;

  private final Process process;
  private final SocketChannel control;
  private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
  private final Map<Long, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();
  private volatile boolean alive = true;

  private LauncherServer(Process process, SocketChannel control) {
    this.process = process;
    this.control = control;
  }

  /** Starts {@code binary} in serve mode on the socket {@code socket}, read by a thread of {@code io}. */
  static LauncherServer start(LauncherBinary binary, Path socket, Executor io) throws IOException {
    Files.deleteIfExists(socket);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Process process = binary.start(executable -> new ProcessBuilder(executable, "serve", socket.toString())
          .redirectInput(Redirect.from(new java.io.File("/dev/null"))).redirectOutput(Redirect.DISCARD)
          .redirectError(Redirect.DISCARD));
      LauncherSession.wakeOnExit(process, server);
      SocketChannel control = server.accept();
      LauncherServer s = new LauncherServer(process, control);
      BufferedReader lines = new BufferedReader(new InputStreamReader(Channels.newInputStream(control),
          StandardCharsets.US_ASCII));
      io.execute(() -> s.read(lines));
      return s;
    } finally {
      Files.deleteIfExists(socket);
    }
  }

  /** Whether it still forks launchers. */
  boolean alive() {
    return alive;
  }

  /**
   * Has a container launcher run for the control socket {@code socket} (what {@code skiff-launcher SOCKET} runs), with
   * /dev/null as its stdin and pipes as its stdout and stderr; it gets {@code spec} (a {@link LauncherSpec#frame()})
   * through the server, not from the control socket, so it sets the container up while this JVM opens its pipes.
   */
  synchronized Process spawn(Path socket, byte[] spec) throws IOException {
    byte[] request = ("spawn " + socket + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] both = Arrays.copyOf(request, request.length + spec.length);
    System.arraycopy(spec, 0, both, request.length, spec.length);
    send(both);
    Reply answer;
    try {
      answer = replies.poll(REPLY_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      retire();
      throw new ContainerException("Interrupted while the launcher server forked a launcher for " + socket, e);
    }
    if (answer == null) {
      retire();
    }
    String reply = answer == null ? null : answer.line();
    if (reply == null || answer.exit() == null) {
      throw new ContainerException("The launcher server (pid " + process.pid() + ") could not fork a launcher for "
          + socket + ": " + (reply == null ? "no answer within " + REPLY_SECONDS + " s" : reply.replace('\t', ' ')));
    }
    String[] f = reply.split(" ");
    long pid = Long.parseLong(f[1]);
    // The read ends of its pipes, through the server's descriptor table: /proc opens the same pipe.
    String fds = "/proc/" + process.pid() + "/fd/";
    FileInputStream stdout = new FileInputStream(fds + f[2]);
    FileInputStream stderr;
    try {
      stderr = new FileInputStream(fds + f[3]);
    } catch (IOException e) {
      stdout.close();
      throw e;
    } finally {
      send("opened " + pid + "\n");
    }
    return new ForkedLauncher(pid, stdout, stderr, answer.exit());
  }

  /**
   * Ends this server after a spawn gave up waiting: its answer, should it still come, would be taken for the next
   * spawn's. The runtime starts another server for the next start.
   */
  private void retire() {
    alive = false;
    try {
      control.close(); // the server exits at EOF; the reader thread ends
    } catch (IOException e) {
      LOG.debug("Closing the launcher server's socket: {}", e.toString());
    }
  }

  private void send(String line) throws IOException {
    send(line.getBytes(StandardCharsets.UTF_8));
  }

  private void send(byte[] request) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(request);
    while (bytes.hasRemaining()) {
      control.write(bytes);
    }
  }

  private void read(BufferedReader lines) {
    try {
      String line;
      while ((line = lines.readLine()) != null) {
        String[] f = line.split(" ");
        if (line.startsWith("exited ") && f.length == 3) {
          CompletableFuture<Integer> exit = exits.remove(Long.parseLong(f[1]));
          if (exit != null) {
            exit.complete(ForkedLauncher.exitValue(Integer.parseInt(f[2])));
          }
        } else if (line.startsWith("forked ") && f.length == 4) {
          // Registered before its exit can be reported, and handed over with the reply: the exit may come first.
          CompletableFuture<Integer> exit = new CompletableFuture<>();
          exits.put(Long.parseLong(f[1]), exit);
          replies.add(new Reply(line, exit));
        } else {
          replies.add(new Reply(line, null));
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("The launcher server's socket failed: {}", e.toString());
    }
    alive = false;
    replies.add(new Reply("the launcher server exited", null)); // a spawn waiting for its answer
    // Its launchers are orphans now: their exits come from the kernel's process table instead.
    for (Map.Entry<Long, CompletableFuture<Integer>> e : exits.entrySet()) {
      ProcessHandle.of(e.getKey()).map(ProcessHandle::onExit).orElse(CompletableFuture.completedFuture(null))
          .thenRun(() -> e.getValue().complete(-1));
    }
  }

  /** A line from the server; for "forked", the launcher's exit, which may complete before the spawn reads it. */
  private record Reply(String line, CompletableFuture<Integer> exit) {}

  /** Ends the server; the launchers it forked run on. */
  @Override
  public void close() {
    try {
      control.close();
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // closed already
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
