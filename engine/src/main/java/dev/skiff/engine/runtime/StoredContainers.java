package dev.skiff.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.engine.fs.TreeRemover;
import dev.skiff.engine.store.ContainerUse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The containers of a store, whichever process runs them: a test JVM, or their own launcher when detached. Backs
 * {@code skiff ps}, {@code exec}, {@code cp}, {@code logs}, {@code stop} and {@code rm}, which reach them through their
 * directories, their PID 1 and the exec launcher.
 */
final class StoredContainers {
  private static final long POLL_MILLIS = 50;

  private final ContainerRuntime runtime;
  private final Path containers;
  private final TreeRemover remover;

  StoredContainers(ContainerRuntime runtime, Path containers, TreeRemover remover) {
    this.runtime = runtime;
    this.containers = containers;
    this.remover = remover;
  }

  List<ContainerInfo> list() throws IOException {
    List<ContainerInfo> all = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(containers)) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        try {
          all.add(ContainerRecords.info(ContainerDirectory.of(dir, remover)));
        } catch (IOException e) {
          // created or removed just now: not a container to list
        }
      }
    }
    all.sort(Comparator.comparing(ContainerInfo::created).reversed());
    return all;
  }

  /**
   * Each container with the directories it stacks, as its container.json records them; a container still being
   * created has recorded none yet (its creation holds the store's shared lock until it has).
   */
  List<ContainerUse> uses() throws IOException {
    List<ContainerUse> uses = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(containers)) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        JsonNode json;
        try {
          json = ContainerDirectory.of(dir, remover).read();
        } catch (NoSuchFileException e) {
          continue; // being created, or removed just now
        }
        uses.add(new ContainerUse(json.path("id").asText(), json.path("name").asText(),
            ContainerRecords.execDefaults(json).layersTopFirst()));
      }
    }
    return uses;
  }

  /** The container named {@code idOrName}, or whose id starts with it. */
  ContainerInfo find(String idOrName) throws IOException {
    List<ContainerInfo> all = list();
    for (ContainerInfo c : all) {
      if (c.name().equals(idOrName) || c.id().equals(idOrName)) {
        return c;
      }
    }
    List<ContainerInfo> byPrefix = all.stream().filter(c -> c.id().startsWith(idOrName)).toList();
    if (byPrefix.size() == 1 && !idOrName.isEmpty()) {
      return byPrefix.get(0);
    }
    throw new ContainerException(byPrefix.isEmpty()
        ? "No container '" + idOrName + "' in " + containers + "; skiff ps -a lists them."
        : "'" + idOrName + "' is the start of " + byPrefix.size() + " container ids; give more of the id.");
  }

  private ContainerDirectory directory(ContainerInfo c) {
    return ContainerDirectory.of(containers.resolve(c.shortId()), remover);
  }

  private static long runningPid(ContainerInfo c, String what) {
    if (c.status() != ContainerInfo.Status.RUNNING) {
      throw new IllegalStateException("Cannot " + what + ": container " + c.name() + " is "
          + c.status().name().toLowerCase() + "; it must be running.");
    }
    return c.pid().getAsLong();
  }

  /** Runs {@code spec} in {@code c} with the given streams; returns its exit code. */
  int exec(ContainerInfo c, ExecSpec spec, InputStream stdin, OutputStream stdout, OutputStream stderr)
      throws IOException, InterruptedException {
    CountDownLatch drained = new CountDownLatch(2);
    return exec(c, spec, stdin, LauncherSession.Mode.EXEC, stderr, process -> {
      if (stdin == null) {
        ContainerExec.closeQuietly(process.getOutputStream());
      }
      runtime.io().execute(() -> copy(process.getInputStream(), stdout, drained));
      runtime.io().execute(() -> copy(process.getErrorStream(), stderr, drained));
    }, drained);
  }

  /** Runs {@code spec} in {@code c} on this process's own stdout and stderr, and stdin when {@code withStdin}. */
  int execAttached(ContainerInfo c, ExecSpec spec, boolean withStdin) throws IOException, InterruptedException {
    return exec(c, spec, null, LauncherSession.Mode.attached(true, withStdin), System.err, process -> {},
        new CountDownLatch(0));
  }

  private int exec(ContainerInfo c, ExecSpec spec, InputStream stdin, LauncherSession.Mode mode, OutputStream stderr,
      java.util.function.Consumer<Process> attach, CountDownLatch drained) throws IOException, InterruptedException {
    long pid = runningPid(c, "exec " + spec);
    JsonNode json = directory(c).read();
    ExecDefaults defaults = ContainerRecords.execDefaults(json);
    ExecLauncher launcher = launcher(c, json);
    LauncherSession session;
    try {
      session = ContainerExec.start(launcher, pid, defaults, spec, stdin, mode,
          new ContainerLogs(), attach);
    } catch (ContainerExec.CommandNotRunnable e) {
      stderr.write((e.getMessage() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      stderr.flush();
      return e.exitCode;
    }
    try {
      int code = ContainerExec.awaitExit(session, spec.timeout(), c.name(), spec);
      drained.await(2, TimeUnit.SECONDS);
      return code;
    } finally {
      session.close();
    }
  }

  /** Copies {@code containerPath} out of {@code c}: from inside it while it runs, else from its files. */
  void copyFrom(ContainerInfo c, String containerPath, Path hostPath) throws IOException, InterruptedException {
    OptionalLong pid = c.status() == ContainerInfo.Status.RUNNING ? c.pid() : OptionalLong.empty();
    ContainerCopy.fromContainer(launcher(c, directory(c).read()), pid, containerPath, hostPath);
  }

  /** Copies a host file or tree into the running container {@code c}. */
  void copyTo(ContainerInfo c, Path hostFileOrDir, String containerPath) throws IOException, InterruptedException {
    long pid = runningPid(c, "copy to " + containerPath);
    ContainerCopy.toContainer(launcher(c, directory(c).read()), pid,
        List.of(new ContainerCopy.HostFiles(hostFileOrDir, containerPath)));
  }

  private ExecLauncher launcher(ContainerInfo c, JsonNode json) {
    return new ExecLauncher(runtime, directory(c), c.name(), () -> ContainerRecords.cgroup(json).directories(),
        ContainerRecords.execDefaults(json));
  }

  private static void copy(InputStream in, OutputStream out, CountDownLatch done) {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // the process or the reader went away
    } finally {
      done.countDown();
    }
  }

  /** Sends the container's stop signal, then SIGKILL after {@code grace}. */
  Container.StopResult stop(ContainerInfo c, Duration grace) throws IOException, InterruptedException {
    if (c.status() != ContainerInfo.Status.RUNNING) {
      return Container.StopResult.NOT_RUNNING;
    }
    signal(c, ContainerRecords.stopSignal(directory(c)));
    Container.StopResult result = Container.StopResult.STOPPED;
    if (!awaitEnd(c, grace)) {
      signal(c, Signals.SIGKILL);
      if (!awaitEnd(c, Duration.ofSeconds(10))) {
        throw new ContainerException("Container " + c.name() + " survived SIGKILL for 10 s; its processes may be"
            + " stuck in the kernel (D state)");
      }
      result = Container.StopResult.KILLED;
    }
    ContainerRecords.releaseCgroup(directory(c));
    return result;
  }

  private static void signal(ContainerInfo c, int signal) throws ContainerException {
    String error = Syscalls.kill(c.pid().getAsLong(), signal);
    if (error != null && !error.contains("errno 3")) { // ESRCH: it has just exited
      throw new ContainerException("Cannot signal container " + c.name() + " (pid " + c.pid().getAsLong() + "): "
          + error);
    }
  }

  private boolean awaitEnd(ContainerInfo c, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ContainerRecords.info(directory(c)).status() == ContainerInfo.Status.RUNNING) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return true;
  }

  /** Deletes a container that is not running; {@code force} kills it first. */
  void remove(ContainerInfo c, boolean force) throws IOException, InterruptedException {
    if (c.status() == ContainerInfo.Status.RUNNING) {
      if (!force) {
        throw new ContainerException("Container " + c.name() + " is running; stop it first, or remove it with force"
            + " (skiff rm -f).");
      }
      signal(c, Signals.SIGKILL);
      if (!awaitEnd(c, Duration.ofSeconds(10))) {
        throw new ContainerException("Container " + c.name() + " survived SIGKILL for 10 s; it is kept.");
      }
    }
    ContainerRecords.releaseCgroup(directory(c));
    directory(c).delete();
  }

  /** Writes the container's output so far; with {@code follow}, also what it prints until it ends. */
  void logs(ContainerInfo c, boolean follow, OutputStream stdout, OutputStream stderr) throws IOException,
      InterruptedException {
    ContainerDirectory dir = directory(c);
    long[] offsets = new long[2];
    boolean more = true;
    while (more) {
      more = follow && ContainerRecords.info(dir).status() == ContainerInfo.Status.RUNNING;
      offsets[0] = copyFrom(dir.log(ContainerLogs.Stream.STDOUT), offsets[0], stdout);
      offsets[1] = copyFrom(dir.log(ContainerLogs.Stream.STDERR), offsets[1], stderr);
      if (more) {
        Thread.sleep(POLL_MILLIS * 4);
      }
    }
  }

  private static long copyFrom(Path file, long offset, OutputStream out) throws IOException {
    if (!Files.exists(file)) {
      return offset;
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      f.seek(offset);
      byte[] buf = new byte[65536];
      int n;
      while ((n = f.read(buf)) > 0) {
        out.write(buf, 0, n);
        offset += n;
      }
      out.flush();
      return offset;
    }
  }
}
