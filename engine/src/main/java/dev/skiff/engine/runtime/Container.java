package dev.skiff.engine.runtime;

import dev.skiff.engine.cgroup.ContainerCgroup;
import dev.skiff.engine.image.ImageConfig;
import dev.skiff.engine.network.Membership;
import dev.skiff.engine.wait.ContainerNotReadyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container created from a {@link ContainerSpec}: start it, wait for it, stop or kill it, read its logs. Closing
 * it {@linkplain #remove() removes} it, leaving no process, mount, cgroup or directory. Thread-safe.
 */
public final class Container implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Container.class);

  /** How {@link #stop(Duration)} ended the container. */
  public enum StopResult {
    /** It was not running. */
    NOT_RUNNING,
    /** It exited within the grace period after its stop signal. */
    STOPPED,
    /** It ignored its stop signal for the grace period and was killed with SIGKILL. */
    KILLED
  }

  private enum State { CREATED, RUNNING, ENDED, REMOVED }

  private final String id;
  private final String name;
  private final String image;
  private final ContainerSpec spec;
  private final ImageConfig imageConfig;
  private final int stopSignal;
  private final ContainerDirectory directory;
  private final LauncherSpec launcherSpec;
  private final List<Membership> memberships;
  private final ContainerRuntime runtime;
  private final ExecDefaults execDefaults;
  private final ExecLauncher execLauncher;
  private final boolean detached;
  private final ContainerLogs logs = new ContainerLogs();
  private LauncherSession session;
  /** The write of the started container's pid into container.json. */
  private CompletableFuture<Void> recorded = CompletableFuture.completedFuture(null);
  private State state = State.CREATED;
  private volatile ContainerCgroup cgroup = ContainerCgroup.of(List.of());
  private Boolean oomKilled; // once its cgroup is released

  Container(String id, String name, ContainerSpec spec, ImageConfig imageConfig, int stopSignal,
      ContainerDirectory directory, LauncherSpec launcherSpec, List<Membership> memberships,
      ContainerRuntime runtime, ExecDefaults execDefaults, boolean detached) {
    this.id = id;
    this.name = name;
    this.image = spec.image();
    this.spec = spec;
    this.imageConfig = imageConfig;
    this.stopSignal = stopSignal;
    this.directory = directory;
    this.launcherSpec = launcherSpec;
    this.memberships = List.copyOf(memberships);
    this.runtime = runtime;
    this.execDefaults = execDefaults;
    this.detached = detached;
    this.execLauncher = new ExecLauncher(runtime, directory, name, () -> cgroup.directories(), execDefaults);
  }

  /** 64 hex digits. */
  public String id() {
    return id;
  }

  /** The first 12 hex digits of the id, as {@code docker ps} shows it. */
  public String shortId() {
    return id.substring(0, 12);
  }

  /** The spec's name, else the short id. */
  public String name() {
    return name;
  }

  public String image() {
    return image;
  }

  /** The spec this container was created from. */
  public ContainerSpec spec() {
    return spec;
  }

  /** The config of the container's image (its healthcheck, exposed ports, ...). */
  public ImageConfig imageConfig() {
    return imageConfig;
  }

  /**
   * Starts the container's command; returns once it is executing and, when the spec has a
   * {@linkplain ContainerSpec#waitStrategy() wait strategy}, once that strategy finds the container ready.
   *
   * @throws ContainerNotReadyException when the container did not become ready; it may still run
   */
  public Container start() throws IOException {
    return start(false);
  }

  /**
   * Starts the container on this process's own stdout and stderr, and its stdin when the spec has
   * {@linkplain ContainerSpec#stdinOpen() stdinOpen} (else /dev/null), as {@code skiff run [-i] [-t]} does; its
   * {@linkplain #logs() logs} stay empty. With a {@linkplain ContainerSpec#tty() tty} and a terminal as this
   * process's stdin, the launcher puts that terminal into raw mode until the container ends (restoring it however
   * the container or this process ends) and passes its window size changes on. Otherwise as {@link #start()}.
   */
  public Container startAttached() throws IOException {
    return start(true);
  }

  private Container start(boolean attached) throws IOException {
    launch(detached ? LauncherSession.Mode.detached(directory.path())
        : attached ? LauncherSession.Mode.attached(false, spec.stdinOpen())
        : LauncherSession.Mode.container(spec.stdinOpen()));
    if (spec.waitStrategy().isPresent()) {
      spec.waitStrategy().get().waitUntilReady(this); // outside the lock: the strategy polls this container
    }
    return this;
  }

  private synchronized void launch(LauncherSession.Mode mode) throws IOException {
    if (state != State.CREATED) {
      throw new IllegalStateException("Container " + name + " is " + state.name().toLowerCase() + "; a container"
          + " starts once. Create a new one from the same spec instead.");
    }
    StartTrace.mark("start.begin");
    try {
      if (!detached) {
        logs.persistTo(directory.log(ContainerLogs.Stream.STDOUT), directory.log(ContainerLogs.Stream.STDERR));
      }
      StartTrace.mark("start.logfiles");
      cgroup = runtime.makeCgroup(id, name, spec.resources(), directory);
      StartTrace.mark("start.cgroup");
      cgroup.directories().forEach(dir -> launcherSpec.put("cgroup", dir.toString()));
      session = runtime.launch(directory.controlSocket(), launcherSpec, logs, name, mode);
      state = State.RUNNING;
      if (!cgroup.directories().isEmpty()) {
        session.exitCode().whenCompleteAsync((code, e) -> releaseCgroup(), runtime.io());
      }
      StartTrace.mark("start.session");
      if (detached) {
        record(session); // the command line reads it to find the container once this JVM is gone
        runtime.forget(this); // closing the runtime must not remove it
      } else {
        LauncherSession started = session;
        recorded = CompletableFuture.runAsync(() -> {
          try {
            record(started); // for skiff ps in another process; off the start's path
          } catch (IOException e) {
            LOG.debug("Container {}: pid not recorded: {}", name, e.toString());
          }
        }, runtime.io());
      }
      StartTrace.mark("start.recorded");
    } catch (IOException | RuntimeException e) {
      state = State.ENDED;
      if (session == null) {
        releaseCgroup(); // no process of it is left
      }
      throw e;
    }
  }

  /** Adds the running container's pid and published ports to its container.json. */
  private void record(LauncherSession started) throws IOException {
    long pid = started.pid();
    String pidStarted = ProcessStart.of(pid);
    directory.update(json -> {
      json.put("pid", pid).put("pidStarted", pidStarted).put("detached", detached).put("tty", spec.tty());
      if (!started.ports().asMap().isEmpty()) {
        json.set("ports", started.ports().toJson());
      }
    });
  }

  /** Once the container has ended: notes whether the OOM killer struck it, and removes its cgroups. */
  private synchronized boolean releaseCgroup() {
    if (oomKilled == null) {
      try {
        oomKilled = !cgroup.directories().isEmpty() && ContainerRecords.releaseCgroup(directory);
      } catch (IOException e) {
        oomKilled = false;
        LOG.warn("Container {} ({}): {}", name, image, e.getMessage());
      }
    }
    return oomKilled;
  }

  /**
   * Whether the kernel's OOM killer killed a process of this container because the container exceeded its
   * {@linkplain ContainerSpec.Builder#memory memory limit}, as Docker's OOMKilled says; known once the container has
   * exited, false before.
   */
  public boolean oomKilled() {
    return exitCode().isPresent() && releaseCgroup();
  }

  /** The cgroups it runs in; none unless its spec has resource limits. */
  List<java.nio.file.Path> cgroupDirectories() {
    return cgroup.directories();
  }

  /**
   * Waits for the container to exit, for its output to be read and for its cgroups (if it has limits) to be removed.
   *
   * @return its exit code; 128 + the signal number when a signal ended it
   * @throws TimeoutException when it still runs after {@code timeout}
   */
  public int waitFor(Duration timeout) throws InterruptedException, TimeoutException {
    LauncherSession s = startedSession();
    long deadline = System.nanoTime() + timeout.toNanos();
    int code;
    try {
      code = s.exitCode().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new TimeoutException("Container " + name + " (" + image + ") still runs after " + timeout);
    }
    StartTrace.mark("wait.exited");
    // Every process of the container is gone, so its output ends now.
    logs.awaitEnd(Math.max(1000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    releaseCgroup();
    StartTrace.mark("wait.end");
    return code;
  }

  /** The exit code once the container has exited. */
  public OptionalInt exitCode() {
    LauncherSession s = session();
    return s != null && s.exitCode().isDone() ? OptionalInt.of(s.exitCode().join()) : OptionalInt.empty();
  }

  public boolean isRunning() {
    LauncherSession s = session();
    return s != null && !s.exitCode().isDone();
  }

  /** The host's process id of the container's PID 1. */
  public long pid() {
    return startedSession().pid();
  }

  /**
   * Sends the image's StopSignal (SIGTERM by default) and, if the container has not exited after {@code grace},
   * SIGKILL. A PID 1 without a handler for the stop signal ignores it, so such containers are killed.
   */
  public StopResult stop(Duration grace) throws InterruptedException {
    LauncherSession s = session();
    if (s == null || s.exitCode().isDone()) {
      return StopResult.NOT_RUNNING;
    }
    s.signal(stopSignal);
    try {
      waitFor(grace);
      return StopResult.STOPPED;
    } catch (TimeoutException e) {
      LOG.warn("Container {} ({}) did not exit within {} of signal {}; killing it with SIGKILL", name, image, grace,
          stopSignal);
    }
    s.signal(Signals.SIGKILL);
    try {
      waitFor(Duration.ofSeconds(10));
    } catch (TimeoutException e) {
      throw new IllegalStateException("Container " + name + " survived SIGKILL for 10 s; its processes may be stuck in"
          + " the kernel (D state)", e);
    }
    return StopResult.KILLED;
  }

  /** The signal {@link #stop} sends first: the image's StopSignal, else SIGTERM. */
  int stopSignal() {
    return stopSignal;
  }

  /**
   * Once the container has exited: moves its writable layer to {@code target} on the same file system (for a
   * snapshot), after its launcher has exited, so that no mount of its overlay is left.
   */
  synchronized void moveUpperTo(Path target) throws IOException {
    if (session == null || !session.exitCode().isDone()) {
      throw new IllegalStateException("Container " + name + " must have exited before its files are moved");
    }
    session.close();
    try {
      session.launcherExit().get(10, TimeUnit.SECONDS); // it lets the overlay's mount go on its way out
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerException("Interrupted while waiting for the launcher of " + name + " to exit", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new ContainerException("The launcher of " + name + " did not exit within 10 s of its container; its"
          + " files stay where they are", e);
    }
    Files.move(directory.upper(), target, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Sends {@code signal} (e.g. {@code SIGHUP}, {@code HUP} or {@code 1}) to the container's PID 1. */
  public void kill(String signal) {
    startedSession().signal(Signals.parse(signal));
  }

  /**
   * The container's stdin, when its spec has {@linkplain ContainerSpec.Builder#stdinOpen stdinOpen}: what is written
   * and flushed reaches the command, through its terminal when it has a {@linkplain ContainerSpec#tty() tty} (which
   * echoes it and sends the bytes of ^C or ^D as signals and end of input, so write "\u0004" to end a line-reading
   * command). Closing it ends the input of a command without a tty. After {@link #startAttached()} the container
   * reads this process's stdin instead.
   *
   * @throws IllegalStateException before {@link #start()}, or when the spec does not keep stdin open
   */
  public java.io.OutputStream stdin() {
    if (!spec.stdinOpen()) {
      throw new IllegalStateException("Container " + name + " reads /dev/null: create it with"
          + " ContainerSpec.Builder.stdinOpen(true) to write to its stdin.");
    }
    return startedSession().stdin();
  }

  /**
   * Resizes the container's pseudo-terminal to {@code rows} by {@code cols} characters; its foreground processes get
   * SIGWINCH. A container that has exited ignores it.
   *
   * @throws IllegalStateException before {@link #start()}, or when the spec has no {@linkplain ContainerSpec#tty() tty}
   */
  public void resizeTty(int rows, int cols) {
    TtySize size = new TtySize(rows, cols);
    if (!spec.tty()) {
      throw new IllegalStateException("Container " + name + " has no terminal to resize: create it with"
          + " ContainerSpec.Builder.tty(true).");
    }
    startedSession().resizeTty(size);
  }

  /** The address that published ports listen on: {@code 127.0.0.1}. */
  public String host() {
    return "127.0.0.1";
  }

  /**
   * The host port that the TCP port {@code containerPort} is published on.
   *
   * @throws IllegalArgumentException when the container does not publish that port
   * @throws IllegalStateException before {@link #start()}
   */
  public int mappedPort(int containerPort) {
    return mappedPort(containerPort, PortBinding.Protocol.TCP);
  }

  /** The host port that {@code containerPort} is published on for {@code protocol}; see {@link #mappedPort(int)}. */
  public int mappedPort(int containerPort, PortBinding.Protocol protocol) {
    return startedSession().ports().hostPort(name, containerPort, protocol);
  }

  /** Each published port (keyed by protocol and container port, without a fixed host port) and its host port. */
  public Map<PortBinding, Integer> publishedPorts() {
    return startedSession().ports().asMap();
  }

  /**
   * Runs {@code command} in the running container, as its user, in its working directory, with its environment,
   * and waits for it (at most {@link ExecSpec#DEFAULT_TIMEOUT}).
   *
   * @throws IllegalStateException when the container is not running
   * @throws ContainerException when the command cannot be started or outlives its timeout; a command that is not in
   *     the container is no exception but exit code 127, as with Docker
   */
  public ExecResult exec(String... command) throws IOException, InterruptedException {
    return exec(ExecSpec.of(command));
  }

  /** Runs {@code spec} in the running container and waits for it; see {@link #exec(String...)}. */
  public ExecResult exec(ExecSpec spec) throws IOException, InterruptedException {
    return ContainerExec.run(execLauncher, runningPid("exec " + spec), execDefaults, spec);
  }

  /**
   * Copies a host file or directory tree into the running container as {@code containerPath} (a directory's
   * content lands in {@code containerPath}); missing parents are created; modes, owners and times are kept.
   * Symlinks in the container resolve inside it: nothing outside the container can be written.
   */
  public void copyToContainer(Path hostFileOrDir, String containerPath) throws IOException, InterruptedException {
    ContainerCopy.Source source = new ContainerCopy.HostFiles(hostFileOrDir, containerPath);
    ContainerCopy.toContainer(execLauncher, runningPid("copy to " + containerPath), List.of(source));
  }

  /** Writes {@code content} into the running container as the file {@code containerPath}, owned by root. */
  public void copyToContainer(byte[] content, String containerPath, int mode) throws IOException,
      InterruptedException {
    ContainerCopy.Source source = new ContainerCopy.Content(content, containerPath, mode);
    ContainerCopy.toContainer(execLauncher, runningPid("copy to " + containerPath), List.of(source));
  }

  /**
   * Copies the file or directory tree {@code containerPath} (a symlink there is followed, inside the container) out
   * of the container to {@code hostPath}, replacing what is there; modes and times are kept, the files belong to this
   * process's user. A container that has exited (or was never started) is read from its files, as {@code docker cp}
   * does: what it wrote stays there until {@link #remove()}. Only what the container wrote to its own file system is
   * there then: a tmpfs is gone with it, and a bind mount's files are on the host already.
   *
   * @throws IllegalStateException once the container is removed
   */
  public void copyFromContainer(String containerPath, Path hostPath) throws IOException, InterruptedException {
    LauncherSession s;
    synchronized (this) {
      if (state == State.REMOVED) {
        throw new IllegalStateException("Cannot copy " + containerPath + " from container " + name + " (" + image
            + "): it has been removed, and its files with it. Copy before remove(), or before the test ends.");
      }
      s = session;
    }
    OptionalLong runningPid = s == null || s.exitCode().isDone() ? OptionalLong.empty() : OptionalLong.of(s.pid());
    ContainerCopy.fromContainer(execLauncher, runningPid, containerPath, hostPath);
  }

  private long runningPid(String what) {
    LauncherSession s = startedSession();
    if (s.exitCode().isDone()) {
      throw new IllegalStateException("Cannot " + what + ": container " + name + " (" + image + ") has exited with"
          + " code " + s.exitCode().join() + "; it must be running.");
    }
    return s.pid();
  }

  /** The container's output, separately for stdout and stderr. */
  public ContainerLogs logs() {
    return logs;
  }

  /**
   * Kills the container if it runs and deletes its state: afterwards no process, mount or cgroup of it is left, and
   * its directory is out of the store's containers (its files are deleted in the background, by the time the engine
   * closes).
   */
  public synchronized void remove() throws IOException {
    if (state == State.REMOVED) {
      return;
    }
    StartTrace.mark("remove.begin");
    if (session != null) {
      if (detached) {
        session.signal(Signals.SIGKILL); // a detached launcher lets it run on when the socket closes
      }
      session.close(); // the launcher SIGKILLs PID 1, which ends the PID namespace, and reaps it
      runtime.awaitOnClose(session.launcherExit());
      try {
        StartTrace.mark("remove.closed");
        session.exitCode().get(10, TimeUnit.SECONDS);
        logs.awaitEnd(2000);
        StartTrace.mark("remove.logsEnded");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ContainerException("Interrupted while removing container " + name, e);
      } catch (ExecutionException | TimeoutException e) {
        throw new ContainerException("Container " + name + " did not end within 10 s of being killed; its directory "
            + directory.path() + " is kept", e);
      }
    }
    releaseCgroup();
    ContainerRuntime.leave(memberships);
    recorded.join(); // its write must not land in a directory being deleted
    StartTrace.mark("remove.released");
    directory.delete();
    state = State.REMOVED;
    runtime.forget(this);
    StartTrace.mark("remove.end");
  }

  @Override
  public void close() throws IOException {
    remove();
  }

  private synchronized LauncherSession session() {
    return session;
  }

  private LauncherSession startedSession() {
    LauncherSession s = session();
    if (s == null) {
      throw new IllegalStateException("Container " + name + " has not been started; call start() first");
    }
    return s;
  }

  @Override
  public String toString() {
    return "Container " + name + " (" + shortId() + ", " + image + ")";
  }
}
