package dev.skiff.engine.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A launcher that a {@link LauncherServer} forked, as a {@link Process}: its stdin is /dev/null, its stdout and stderr
 * are pipes this JVM reads, and the server reports its exit.
 */
final class ForkedLauncher extends Process {
  private final long pid;
  private final InputStream stdout;
  private final InputStream stderr;
  private final CompletableFuture<Integer> exit;

  ForkedLauncher(long pid, InputStream stdout, InputStream stderr, CompletableFuture<Integer> exit) {
    this.pid = pid;
    this.stdout = stdout;
    this.stderr = stderr;
    this.exit = exit;
  }

  /** The exit value the JDK gives a wait status: the exit code, or 0x80 + the signal that ended the process. */
  static int exitValue(int waitStatus) {
    int signal = waitStatus & 0x7f;
    return signal == 0 ? (waitStatus >> 8) & 0xff : 0x80 + signal;
  }

  @Override
  public OutputStream getOutputStream() {
    return OutputStream.nullOutputStream(); // its stdin is /dev/null
  }

  @Override
  public InputStream getInputStream() {
    return stdout;
  }

  @Override
  public InputStream getErrorStream() {
    return stderr;
  }

  @Override
  public int waitFor() throws InterruptedException {
    try {
      return exit.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      exit.get(timeout, unit);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public int exitValue() {
    if (!exit.isDone()) {
      throw new IllegalThreadStateException("launcher " + pid + " has not exited");
    }
    return exit.join();
  }

  @Override
  public boolean isAlive() {
    return !exit.isDone();
  }

  @Override
  public void destroy() {
    signal(false);
  }

  @Override
  public Process destroyForcibly() {
    signal(true);
    return this;
  }

  private void signal(boolean kill) {
    if (!exit.isDone()) { // not reaped yet: the pid is still this launcher's
      ProcessHandle.of(pid).ifPresent(h -> {
        if (kill) {
          h.destroyForcibly();
        } else {
          h.destroy();
        }
      });
    }
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public CompletableFuture<Process> onExit() {
    return exit.thenApply(status -> this);
  }

  @Override
  public ProcessHandle toHandle() {
    return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("launcher " + pid + " is gone"));
  }
}
