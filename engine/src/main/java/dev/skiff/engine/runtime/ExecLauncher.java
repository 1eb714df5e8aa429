package dev.skiff.engine.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Starts skiff-launcher in exec mode for one container: a process in the namespaces of its running PID 1, or a
 * copy-out over its files while it does not run, over a control socket of its own in the container's directory.
 */
final class ExecLauncher {
  private static final AtomicInteger SOCKETS = new AtomicInteger();

  private final ContainerRuntime runtime;
  private final ContainerDirectory containerDir;
  private final String container;
  private final Supplier<List<Path>> cgroups;
  private final ExecDefaults defaults;

  /**
   * @param cgroups the container's cgroups, which its execs join: they count against its limits
   * @param defaults its layers, which a launcher mounts over its rootfs directory while it does not run
   */
  ExecLauncher(ContainerRuntime runtime, ContainerDirectory containerDir, String container,
      Supplier<List<Path>> cgroups, ExecDefaults defaults) {
    this.runtime = runtime;
    this.containerDir = containerDir;
    this.container = container;
    this.cgroups = cgroups;
    this.defaults = defaults;
  }

  String container() {
    return container;
  }

  ContainerRuntime runtime() {
    return runtime;
  }

  /**
   * Runs {@code spec} in the container whose PID 1 is {@code pid}; returns once the process executes (a builtin:
   * once it has finished).
   *
   * @param attach gets the launcher process at once, to feed its stdin and read its output
   * @param logs where {@code attach} puts stderr; quoted if the launcher dies early
   */
  LauncherSession start(long pid, LauncherSpec spec, Consumer<Process> attach, ContainerLogs logs) throws IOException {
    return start(pid, spec, LauncherSession.Mode.EXEC, attach, logs);
  }

  /** As {@link #start(long, LauncherSpec, Consumer, ContainerLogs)}, with the launcher's stdio as {@code mode} says. */
  LauncherSession start(long pid, LauncherSpec spec, LauncherSession.Mode mode, Consumer<Process> attach,
      ContainerLogs logs) throws IOException {
    spec.put("exec.pid", Long.toString(pid));
    cgroups.get().forEach(dir -> spec.put("cgroup", dir.toString()));
    return runtime.exec(socket(), spec, mode, attach, logs, container);
  }

  /** Runs {@code spec}, a copy-out, over the container's files, read-only: for a container that does not run. */
  LauncherSession startOverFiles(LauncherSpec spec, Consumer<Process> attach, ContainerLogs logs) throws IOException {
    return runtime.execOverFiles(socket(), defaults.filesTopFirst(), containerDir.rootfs(), spec, attach, logs,
        container);
  }

  private Path socket() {
    // At most as long as control.sock, whose path ContainerDirectory checked fits a socket address.
    String name = "x" + Integer.toString(SOCKETS.incrementAndGet() & Integer.MAX_VALUE, 36) + ".sock";
    return containerDir.path().resolve(name);
  }
}
