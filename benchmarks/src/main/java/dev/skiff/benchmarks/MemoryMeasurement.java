package dev.skiff.benchmarks;

import dev.skiff.benchmarks.docker.DockerCli;
import dev.skiff.benchmarks.docker.DockerException;
import dev.skiff.benchmarks.measure.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What running N idle containers costs in memory on each side, defined so that both count the same thing:
 * <ul>
 *   <li>Skiff: the resident set of a JVM that runs the N containers through the engine minus that of a baseline JVM
 *   (same java, same flags, same class path) that loaded nothing of Skiff, both after a full GC; plus the resident
 *   sets of the engine's per-container launcher processes, of the launcher server that forks them and of the one
 *   launcher it keeps forked ahead for the next start. The containers' own processes are not counted.</li>
 *   <li>Docker: the resident sets of every process whose command line names the daemon's work directory:
 *   dockerd, its containerd and the N containerd shims, with the same N containers running.</li>
 * </ul>
 * RSS counts shared pages (libraries, the shims' and launchers' binaries) once per process, alike on both sides.
 */
final class MemoryMeasurement {
  private static final Pattern PROBE_LINE = Pattern.compile("jvm=(\\d+) helpers=(\\d+) helper-count=(\\d+)");

  /** One round's bytes; {@code docker} is empty without a daemon. */
  record Round(long baselineJvm, long skiffJvm, long launchers, Optional<Long> docker) {
    /** The engine's extra RSS: the JVM's growth over the baseline, plus the launchers. */
    long skiffExtra() {
      return skiffJvm - baselineJvm + launchers;
    }
  }

  private final String image;
  private final String store;
  private final Optional<DockerCli> docker;
  private final String dockerRoot;
  private final List<String> jvmOptions;

  MemoryMeasurement(String image, String store, Optional<DockerCli> docker, String dockerRoot,
      List<String> jvmOptions) {
    this.image = image;
    this.store = store;
    this.docker = docker;
    this.dockerRoot = dockerRoot;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** Baseline JVM, Skiff JVM with {@code count} containers, then Docker with as many; one after another. */
  Round measure(int count) throws Exception {
    long[] baseline = probe(List.of("baseline"));
    long[] skiff = probe(List.of("skiff", store, image, Integer.toString(count)));
    if (skiff[2] != count + 2) {
      throw new IllegalStateException("Expected one launcher process per container (" + count + "), the engine's"
          + " launcher server and its spare launcher, but the probe found " + skiff[2] + " processes; the engine's process layout changed:"
          + " revisit MemoryMeasurement's definition");
    }
    Optional<Long> dockerBytes = docker.isPresent() ? Optional.of(dockerSide(docker.get(), count)) : Optional.empty();
    return new Round(baseline[0], skiff[0], skiff[1], dockerBytes);
  }

  /** Runs MemoryProbe in a new JVM and returns its jvm, helpers and helper-count figures. */
  private long[] probe(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    Matcher m = PROBE_LINE.matcher(out);
    if (exit != 0 || !m.find()) {
      throw new IOException("The memory probe '" + String.join(" ", command) + "' failed (exit code " + exit
          + "): " + out.strip());
    }
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
  }

  private long dockerSide(DockerCli cli, int count) throws Exception {
    List<String> ids = DockerContainers.runDetached(cli, image, count, "sleep", "600");
    try {
      Thread.sleep(1000);  // as the probes settle: let start-up allocations be returned
      List<Processes.Entry> daemon = Processes.now().withCommandLineContaining(dockerRoot);
      if (daemon.isEmpty()) {
        throw new IllegalStateException("No process names " + dockerRoot + " in its command line; pass the private"
            + " daemon's work directory with --docker-root");
      }
      return Processes.rss(daemon);
    } finally {
      DockerContainers.remove(cli, ids);
    }
  }

  /** Detached containers through the docker CLI, a few at a time. */
  static final class DockerContainers {
    private DockerContainers() {}

    /** Starts {@code count} containers running {@code command}, four CLI calls at a time; returns their ids. */
    static List<String> runDetached(DockerCli cli, String image, int count, String... command) throws Exception {
      List<String> args = new ArrayList<>(List.of("run", "-d", image));
      args.addAll(List.of(command));
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<String>> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          started.add(pool.submit(() -> cli.run(args.toArray(String[]::new)).strip()));
        }
        List<String> ids = new ArrayList<>();
        Exception failure = null;
        for (Future<String> f : started) {
          try {
            ids.add(f.get());
          } catch (Exception e) {
            failure = failure == null ? e : failure;
          }
        }
        if (failure != null) {
          remove(cli, ids);  // leave nothing behind for the next round to trip over
          throw failure;
        }
        return ids;
      } finally {
        pool.shutdown();
      }
    }

    static void remove(DockerCli cli, List<String> ids) throws DockerException {
      if (!ids.isEmpty()) {
        List<String> args = new ArrayList<>(List.of("rm", "-f"));
        args.addAll(ids);
        cli.run(args.toArray(String[]::new));
      }
    }
  }
}
