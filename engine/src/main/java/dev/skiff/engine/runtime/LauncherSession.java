package dev.skiff.engine.runtime;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running skiff-launcher and its control socket (protocol in {@code src/main/native/main.c}). The launcher's
 * stdout and stderr are the container's, pumped into {@link ContainerLogs}. Closing the socket makes the launcher
 * SIGKILL the container, so the container cannot outlive this JVM.
 */
final class LauncherSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LauncherSession.class);

  private final String container;
  private final Process process;
  private final SocketChannel control;
  private final long pid;
  private final PublishedPorts ports;
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
  private volatile boolean closed;

  private LauncherSession(String container, Process process, SocketChannel control, long pid, PublishedPorts ports) {
    this.container = container;
    this.process = process;
    this.control = control;
    this.pid = pid;
    this.ports = ports;
  }

  /**
   * Starts the launcher, hands it {@code spec} and returns once the container's command is executing.
   *
   * @param container names the container in messages
   * @throws ContainerStartException when the launcher reports a failed call
   */
  static LauncherSession start(Starter starter, Path socket, Mode mode, LauncherSpec spec, ContainerLogs logs,
      Executor io, String container) throws IOException {
    return start(starter, socket, mode, spec, process -> {
      // Not pipes (detached, attached): these streams are empty, so the logs end at once, not after waitFor's 1 s.
      io.execute(() -> logs.buffer(ContainerLogs.Stream.STDOUT).pump(process.getInputStream()));
      io.execute(() -> logs.buffer(ContainerLogs.Stream.STDERR).pump(process.getErrorStream()));
    }, logs, io, container);
  }

  /** How the launcher runs: for a container or for an exec, and where its stdin, stdout and stderr go. */
  record Mode(boolean exec, Redirect stdin, Redirect stdout, Redirect stderr) {
    private static final Redirect NO_INPUT = Redirect.from(new File("/dev/null"));

    /** A process in a running container; its stdin and output are pipes to this JVM. */
    static final Mode EXEC = new Mode(true, Redirect.PIPE, Redirect.PIPE, Redirect.PIPE);

    /** A container whose output this JVM reads; its stdin is a pipe from this JVM when {@code stdinOpen}. */
    static Mode container(boolean stdinOpen) {
      return new Mode(false, stdinOpen ? Redirect.PIPE : NO_INPUT, Redirect.PIPE, Redirect.PIPE);
    }

    /** A container that outlives the JVM: files, not pipes, as it writes on after this JVM is gone. */
    static Mode detached(Path dir) {
      return new Mode(false, NO_INPUT, Redirect.appendTo(dir.resolve("stdout.log").toFile()),
          Redirect.appendTo(dir.resolve("stderr.log").toFile()));
    }

    /**
     * A container or an exec on this JVM's own stdout and stderr (a terminal, say), and its stdin when
     * {@code withStdin}: the launcher sees the terminal itself, for raw mode and window sizes.
     */
    static Mode attached(boolean exec, boolean withStdin) {
      return new Mode(exec, withStdin ? Redirect.INHERIT : NO_INPUT, Redirect.INHERIT, Redirect.INHERIT);
    }

    /** Whether a {@link LauncherServer} can fork it: a container reading /dev/null, its output in pipes. */
    boolean forkable() {
      return !exec && stdin == NO_INPUT && stdout == Redirect.PIPE && stderr == Redirect.PIPE;
    }
  }

  /** Starts a launcher in a mode, on a control socket, for a spec ({@link LauncherSpec#frame()}). */
  @FunctionalInterface
  interface Starter {
    Started start(Path socket, Mode mode, byte[] spec) throws IOException;
  }

  /** A launcher process, and whether it got its spec with its start; else it reads it from the control socket. */
  record Started(Process process, boolean specGiven) {}

  /** Starts {@code binary} as a new process each time; it reads its spec from the control socket. */
  static Starter starter(LauncherBinary binary) {
    return (socket, mode, spec) -> new Started(binary.start(executable -> command(executable, socket, mode)), false);
  }

  /**
   * Starts the launcher in {@code mode} and hands {@code attach} the process at once so that its output is read
   * while it starts.
   *
   * @param logs where {@code attach} puts the launcher's stderr, quoted when the launcher dies early
   */
  static LauncherSession start(Starter starter, Path socket, Mode mode, LauncherSpec spec,
      Consumer<Process> attach, ContainerLogs logs, Executor io, String container) throws IOException {
    Files.deleteIfExists(socket);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      StartTrace.mark("start.bound");
      byte[] frame = spec.frame();
      Started started = starter.start(socket, mode, frame);
      Process process = started.process();
      StartTrace.mark("start.spawned");
      attach.accept(process);
      wakeOnExit(process, server);
      SocketChannel control = server.accept();
      StartTrace.mark("start.accepted");
      BufferedReader events;
      String first;
      PublishedPorts ports = PublishedPorts.NONE;
      try {
        if (!started.specGiven()) {
          ByteBuffer framed = ByteBuffer.wrap(frame);
          while (framed.hasRemaining()) {
            control.write(framed);
          }
        }
        StartTrace.mark("start.specSent");
        events = new BufferedReader(new InputStreamReader(Channels.newInputStream(control), StandardCharsets.UTF_8));
        first = events.readLine();
        StartTrace.mark("start.reported");
        while (first != null && first.startsWith("port\t")) {
          ports = ports.with(first);
          first = events.readLine();
        }
      } catch (IOException e) {
        closeQuietly(control);
        throw launcherDied(container, process, logs);
      }
      if (first == null || !first.startsWith("started\t")) {
        closeQuietly(control);
        awaitExit(process);
        if (first != null && first.startsWith("error\t")) {
          throw startFailure(container, first);
        }
        throw launcherDied(container, process, logs);
      }
      LauncherSession session = new LauncherSession(container, process, control,
          Long.parseLong(first.substring("started\t".length()).trim()), ports);
      io.execute(() -> session.readEvents(events));
      return session;
    } finally {
      Files.deleteIfExists(socket);
    }
  }

  /**
   * Makes a blocked {@code accept()} on {@code server} return once the launcher has exited: with a connection of
   * this JVM's, which reads as EOF. Queued behind the launcher's own, if it connected, so that what the launcher
   * reported before it exited is still read (closing the server instead would drop it).
   */
  static void wakeOnExit(Process process, ServerSocketChannel server) {
    process.onExit().thenRun(() -> {
      try (SocketChannel wake = SocketChannel.open(server.getLocalAddress())) {
        // connected: accept() returns
      } catch (IOException e) {
        // the server is closed: nothing waits on it any more
      }
    });
  }

  /** Starts the launcher for a file task ({@code skiff-launcher -}): its spec goes to stdin, its report to stdout. */
  static Process launchTask(LauncherBinary binary) throws IOException {
    return binary.start(executable -> new ProcessBuilder(executable, "-"));
  }

  private static ProcessBuilder command(String executable, Path socket, Mode mode) {
    ProcessBuilder pb = mode.exec() ? new ProcessBuilder(executable, "exec", socket.toString())
        : new ProcessBuilder(executable, socket.toString());
    return pb.redirectInput(mode.stdin()).redirectOutput(mode.stdout()).redirectError(mode.stderr());
  }

  /** "error\tCALL\tPATH\tERRNO\tMESSAGE", the path with %XX escapes. */
  private static ContainerStartException startFailure(String container, String line) {
    String[] f = line.split("\t", 5);
    if (f.length < 5) {
      return new ContainerStartException(container, "?", "-", 0, line);
    }
    int errno = f[3].matches("\\d+") ? Integer.parseInt(f[3]) : 0;
    return new ContainerStartException(container, f[1], EscapedText.decode(f[2], '%', 2, 16), errno, f[4]);
  }

  private static ContainerException launcherDied(String container, Process process, ContainerLogs logs) {
    Integer status = awaitExit(process);
    try {
      logs.awaitEnd(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new ContainerException("The container launcher for " + container + " exited (status " + status
        + ") before starting it. Its output: " + logs.stderr().strip());
  }

  private static Integer awaitExit(Process process) {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void readEvents(BufferedReader events) {
    try {
      String line;
      while ((line = events.readLine()) != null) {
        if (line.startsWith("exited\t")) {
          exitCode.complete(Integer.parseInt(line.substring(7).trim()));
        } else if (line.startsWith("killed\t")) {
          exitCode.complete(128 + Integer.parseInt(line.substring(7).trim())); // as Docker reports signals
        } else {
          LOG.warn("Container {}: the launcher reports {}", container, line.replace('\t', ' '));
        }
      }
    } catch (IOException e) {
      LOG.debug("Container {}: control socket closed: {}", container, e.toString());
    }
    if (!exitCode.isDone() && closed) {
      exitCode.complete(128 + Signals.SIGKILL); // closing the socket made the launcher SIGKILL it
    } else if (!exitCode.isDone()) {
      Integer status = awaitExit(process);
      LOG.error("The launcher of container {} ended (status {}) without reporting the container's exit", container,
          status);
      exitCode.complete(-1);
    }
  }

  /** The host's pid of the container's PID 1. */
  long pid() {
    return pid;
  }

  /** The host ports the launcher's relay listens on. */
  PublishedPorts ports() {
    return ports;
  }

  /** Completes with the container's exit code (128 + signal when a signal ended it; -1 if unknown). */
  CompletableFuture<Integer> exitCode() {
    return exitCode;
  }

  /** Completes once the launcher process has exited. */
  CompletableFuture<Process> launcherExit() {
    return process.onExit();
  }

  /** Asks the launcher to signal PID 1; a container that has exited ignores it. */
  void signal(int signal) {
    command("kill " + signal);
  }

  /** Asks the launcher to resize the process's pseudo-terminal, which signals SIGWINCH to its foreground group. */
  void resizeTty(TtySize size) {
    command("resize " + size.rows() + " " + size.cols());
  }

  /** The launcher's stdin: the container's (or its terminal's) when started with a pipe for it. */
  OutputStream stdin() {
    return process.getOutputStream();
  }

  private synchronized void command(String command) {
    try {
      ByteBuffer line = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII));
      while (line.hasRemaining()) {
        control.write(line);
      }
    } catch (IOException e) {
      LOG.debug("Container {}: '{}' not sent, the launcher is gone: {}", container, command, e.toString());
    }
  }

  /**
   * Closes the control socket, which kills the container if it still runs, and then waits for the launcher. Once the
   * container's exit is reported nothing of it runs any more, and the launcher only lets its mounts go on its way out:
   * that is not waited for.
   */
  @Override
  public void close() {
    closed = true;
    closeQuietly(control);
    if (exitCode.isDone() && exitCode.join() >= 0) {
      return;
    }
    if (awaitExit(process) == null) {
      LOG.warn("The launcher of container {} did not exit within 5 s of closing its socket; killing it", container);
      process.destroyForcibly();
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
