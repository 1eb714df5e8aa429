package dev.skiff.engine.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs an {@link ExecSpec} in a running container, as a process that joins its namespaces. */
final class ContainerExec {
  private static final int ENOENT = 2;
  /** How long output may trail the command's exit: background children can hold its pipes open for good. */
  private static final long OUTPUT_GRACE_MILLIS = 2000;

  private ContainerExec() {}

  /** Runs {@code spec} to its end, output collected. */
  static ExecResult run(ExecLauncher launcher, long pid, ExecDefaults defaults, ExecSpec spec)
      throws IOException, InterruptedException {
    ContainerLogs output = new ContainerLogs();
    Executor io = launcher.runtime().io();
    LauncherSession session;
    try {
      session = start(launcher, pid, defaults, spec, null, LauncherSession.Mode.EXEC, output, process -> {
        closeQuietly(process.getOutputStream());
        io.execute(() -> output.buffer(ContainerLogs.Stream.STDOUT).pump(process.getInputStream()));
        io.execute(() -> output.buffer(ContainerLogs.Stream.STDERR).pump(process.getErrorStream()));
      });
    } catch (CommandNotRunnable e) {
      return new ExecResult(e.exitCode, "", e.getMessage() + "\n");
    }
    try {
      int code = awaitExit(session, spec.timeout(), launcher.container(), spec);
      output.awaitEnd(OUTPUT_GRACE_MILLIS);
      return new ExecResult(code, output.stdout(), output.stderr());
    } finally {
      session.close();
    }
  }

  /**
   * Starts {@code spec} with the launcher's stdio as {@code mode} says, pipes wired by {@code attach};
   * {@code stdin} (may be null) is copied to the process's stdin on an I/O thread, then closed.
   *
   * @throws CommandNotRunnable when the command is missing or not executable, with Docker's exit code for it
   */
  static LauncherSession start(ExecLauncher launcher, long pid, ExecDefaults defaults, ExecSpec spec,
      InputStream stdin, LauncherSession.Mode mode, ContainerLogs logs, java.util.function.Consumer<Process> attach)
      throws IOException {
    ProcessSettings container = defaults.process();
    ImageUsers.Identity identity = launcher.runtime().runnable(spec.user().isPresent()
        ? defaults.users().resolve(spec.user().get(), "container " + launcher.container())
        : container.identity(), "container " + launcher.container());
    Map<String, String> env = new LinkedHashMap<>();
    for (String entry : container.env()) {
      int eq = entry.indexOf('=');
      env.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    if (spec.user().isPresent()) {
      env.put("HOME", identity.home());
    }
    env.putAll(spec.env());
    List<String> envList = new ArrayList<>();
    env.forEach((k, v) -> envList.add(k + "=" + v));
    LauncherSpec launch = new LauncherSpec()
        .process(spec.command(), envList, spec.workingDir().orElse(container.workingDir()), identity);
    if (spec.tty()) {
      launch.tty(spec.ttySize());
    }
    try {
      return launcher.start(pid, launch, mode, process -> {
        attach.accept(process);
        if (stdin != null) {
          launcher.runtime().io().execute(() -> feed(stdin, process.getOutputStream()));
        }
      }, logs);
    } catch (ContainerStartException e) {
      throw failure(launcher.container(), spec, e);
    }
  }

  /** Waits for the exec'd command; kills it once {@code timeout} has passed. */
  static int awaitExit(LauncherSession session, Duration timeout, String container, Object what)
      throws InterruptedException, ContainerException {
    try {
      return session.exitCode().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new ContainerException("Lost track of '" + what + "' in container " + container, e.getCause());
    } catch (TimeoutException e) {
      session.close(); // the launcher kills the process when its socket closes
      throw new ContainerException("'" + what + "' in container " + container + " still ran after " + timeout
          + " and was killed; give it longer with ExecSpec.Builder.timeout(...).");
    }
  }

  /** A command that cannot start, reported like Docker: 127 when it is missing, 126 when it cannot be executed. */
  static final class CommandNotRunnable extends ContainerException {
    final int exitCode;

    CommandNotRunnable(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  private static ContainerException failure(String container, ExecSpec spec, ContainerStartException e) {
    if (e.call().equals("execve")) {
      return e.errno() == ENOENT
          ? new CommandNotRunnable("skiff exec: '" + e.path() + "': executable file not found in the container's"
              + " PATH (container " + container + ")", 127)
          : new CommandNotRunnable("skiff exec: '" + e.path() + "' cannot be executed (errno " + e.errno() + "; check"
              + " its mode and interpreter line) in container " + container, 126);
    }
    if (e.call().equals("chdir")) {
      return new ContainerException("Cannot run '" + spec + "' in container " + container + ": its working directory "
          + e.path() + " is missing or not accessible to its user (errno " + e.errno() + ").", e);
    }
    return new ContainerException("Cannot run '" + spec + "' in container " + container + ": " + e.call() + " "
        + e.path() + " failed (errno " + e.errno() + "); the container has probably just exited.", e);
  }

  private static void feed(InputStream in, OutputStream out) {
    try (out) {
      in.transferTo(out);
    } catch (IOException e) {
      // the process stopped reading: what it got is what it gets
    }
  }

  static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
