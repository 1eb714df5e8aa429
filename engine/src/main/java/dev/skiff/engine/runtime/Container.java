package dev.skiff.engine.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container created from a {@link ContainerSpec}: start it, wait for it, stop or kill it, read its logs. Closing
 * it {@linkplain #remove() removes} it, leaving no process, mount or directory. Thread-safe.
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
  private final int stopSignal;
  private final ContainerDirectory directory;
  private final LauncherSpec launcherSpec;
  private final ContainerRuntime runtime;
  private final ContainerLogs logs = new ContainerLogs();
  private LauncherSession session;
  private State state = State.CREATED;

  Container(String id, String name, String image, int stopSignal, ContainerDirectory directory,
      LauncherSpec launcherSpec, ContainerRuntime runtime) {
    this.id = id;
    this.name = name;
    this.image = image;
    this.stopSignal = stopSignal;
    this.directory = directory;
    this.launcherSpec = launcherSpec;
    this.runtime = runtime;
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

  /** Starts the container's command; returns once it is executing. */
  public synchronized Container start() throws IOException {
    if (state != State.CREATED) {
      throw new IllegalStateException("Container " + name + " is " + state.name().toLowerCase() + "; a container"
          + " starts once. Create a new one from the same spec instead.");
    }
    try {
      session = runtime.launch(directory.controlSocket(), launcherSpec, logs, name);
      state = State.RUNNING;
    } catch (IOException | RuntimeException e) {
      state = State.ENDED;
      throw e;
    }
    if (!session.ports().asMap().isEmpty()) {
      directory.describe("ports", session.ports().toJson()); // for skiff ps in another process
    }
    return this;
  }

  /**
   * Waits for the container to exit and for its output to be read.
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
    // Every process of the container is gone, so its output ends now.
    logs.awaitEnd(Math.max(1000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
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

  /** Sends {@code signal} (e.g. {@code SIGHUP}, {@code HUP} or {@code 1}) to the container's PID 1. */
  public void kill(String signal) {
    startedSession().signal(Signals.parse(signal));
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

  /** The container's output, separately for stdout and stderr. */
  public ContainerLogs logs() {
    return logs;
  }

  /**
   * Kills the container if it runs and deletes its state: afterwards no process, mount or directory of it is left.
   */
  public synchronized void remove() throws IOException {
    if (state == State.REMOVED) {
      return;
    }
    if (session != null) {
      session.close(); // the launcher SIGKILLs PID 1, which ends the PID namespace, and reaps it
      try {
        session.exitCode().get(10, TimeUnit.SECONDS);
        logs.awaitEnd(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ContainerException("Interrupted while removing container " + name, e);
      } catch (ExecutionException | TimeoutException e) {
        throw new ContainerException("Container " + name + " did not end within 10 s of being killed; its directory "
            + directory.path() + " is kept", e);
      }
    }
    directory.delete();
    state = State.REMOVED;
    runtime.forget(this);
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
