package dev.skiff.benchmarks;

import dev.skiff.benchmarks.docker.DockerCli;
import dev.skiff.benchmarks.docker.DockerException;
import dev.skiff.benchmarks.measure.MachineDescription;
import dev.skiff.benchmarks.measure.Samples;
import dev.skiff.benchmarks.measure.Timed;
import dev.skiff.benchmarks.report.ComparisonFile;
import dev.skiff.benchmarks.report.ResultFiles;
import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.store.ImageRecord;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Cold pull + unpack of images from the local registry, Skiff against {@code docker pull}, interleaved round by
 * round because this machine's speed drifts. Prints a table of medians and writes it under {@code --results}.
 * Run it with {@code benchmarks/run.sh pull}, which starts the private Docker daemon it compares with.
 */
@Command(
    name = "pull-benchmark",
    mixinStandardHelpOptions = true,
    description = "Cold pull + unpack: Skiff vs docker pull, from the same local registry.")
public final class PullBenchmark implements Callable<Integer> {

  @Option(names = "--registry", paramLabel = "HOST:PORT",
      description = "The local registry; default: 'registry' in .test-env/test-env.properties.")
  private String registry;

  @Option(names = "--images", split = ",", paramLabel = "IMAGE",
      defaultValue = "library/redis:7.0,library/postgres:15,library/mariadb:10.11",
      description = "Images in that registry (default: ${DEFAULT-VALUE}).")
  private List<String> images;

  @Option(names = "--rounds", defaultValue = "5",
      description = "Measured rounds per image (default: ${DEFAULT-VALUE}).")
  private int rounds;

  @Option(names = "--warmup", defaultValue = "1",
      description = "Rounds run first and not counted (default: ${DEFAULT-VALUE}).")
  private int warmup;

  @Option(names = "--docker-host", paramLabel = "URL",
      description = "The daemon to compare with, e.g. unix:///var/cache/skiff-bench/docker/docker.sock."
          + " ALL ITS IMAGES ARE DELETED: use benchmarks/docker-env.sh's private daemon.")
  private String dockerHost;

  @Option(names = "--docker-cli", defaultValue = "docker", description = "The docker CLI (default: ${DEFAULT-VALUE}).")
  private String dockerCli;

  @Option(names = "--no-docker", description = "Measure Skiff alone.")
  private boolean noDocker;

  @Option(names = "--target", defaultValue = "0.50",
      description = "PASS when Skiff's median over docker's is at most this (default: ${DEFAULT-VALUE}).")
  private double target;

  @Option(names = "--work", paramLabel = "DIR",
      description = "Where Skiff's throwaway stores go; default: $SKIFF_BENCH_CACHE/skiff, else"
          + " /var/cache/skiff-bench/skiff (same file system as docker-env.sh's data root).")
  private Path work;

  @Option(names = "--note", paramLabel = "TEXT",
      description = "A line for the report's notes, e.g. how this run was set up (repeatable).")
  private List<String> notes = List.of();

  @Option(names = "--rows", paramLabel = "FILE",
      description = "Also append the result rows to FILE, for benchmarks/run.sh's combined summary.")
  private Path rows;

  @Option(names = "--results", paramLabel = "DIR", defaultValue = "benchmarks/results",
      description = "Where pull-<date>.csv and .md are written (default: ${DEFAULT-VALUE}).")
  private Path results;

  @Override
  public Integer call() throws Exception {
    if (rounds < 1 || warmup < 0) {
      throw new IllegalArgumentException("--rounds must be at least 1 and --warmup at least 0");
    }
    String registryAddress = registry != null ? registry : BenchmarkOptions.testEnvRegistry();
    Optional<DockerCli> docker = Optional.empty();
    String dockerMissing = null;
    if (noDocker) {
      dockerMissing = "--no-docker was given.";
    } else if (dockerHost == null) {
      dockerMissing = "no --docker-host was given; start a private daemon with benchmarks/docker-env.sh start"
          + " (benchmarks/run.sh pull does that and passes it).";
    } else {
      try {
        docker = Optional.of(DockerCli.connect(dockerCli, dockerHost));
      } catch (DockerException e) {
        dockerMissing = "the daemon at " + dockerHost + " cannot be used: " + e.getMessage();
      }
    }
    if (dockerMissing != null) {
      System.out.println("No docker comparison: " + dockerMissing);
    }
    MachineDescription machine = MachineDescription.ofThisMachine(docker
        .map(d -> d.serverVersion() + " (daemon at " + d.host() + "; gunzip: " + dockerGunzip() + ")")
        .orElse("not measured"));

    SkiffColdPull skiff = new SkiffColdPull(work != null ? work : BenchmarkOptions.defaultWork());
    List<PullResult> measured = new ArrayList<>();
    for (String image : images) {
      measured.add(measure(registryAddress + "/" + image, image, skiff, docker));
    }
    if (docker.isPresent()) {
      docker.get().removeAllImages();  // a cold-pull benchmark's images are of no further use
    }

    PullReport report = new PullReport(LocalDate.now(), registryAddress, rounds, warmup, target, machine, measured,
        notes, Optional.ofNullable(dockerMissing));
    System.out.println();
    System.out.print(report.text());
    List<Path> files = ResultFiles.write(results, "pull", report.date(), report.csv(), report.markdown());
    System.out.println("\nWrote " + files.get(0) + " and " + files.get(1));
    if (rows != null) {
      ComparisonFile.append(rows, report.comparisons());
    }
    return 0;
  }

  private PullResult measure(String reference, String image, SkiffColdPull skiff, Optional<DockerCli> docker)
      throws IOException, DockerException, InterruptedException {
    List<Duration> skiffTimes = new ArrayList<>();
    List<Duration> dockerTimes = new ArrayList<>();
    long compressed = 0;
    for (int round = 1 - warmup; round <= rounds; round++) {
      String label = round < 1 ? "warm-up" : "round " + round + "/" + rounds;
      flushDirtyPages();
      Timed<ImageRecord> s = skiff.pull(reference);
      compressed = s.value().compressedSize();
      String line = image + " " + label + ": Skiff " + Samples.seconds(s.elapsed()) + " s";
      if (round >= 1) {
        skiffTimes.add(s.elapsed());
      }
      if (docker.isPresent()) {
        DockerCli d = docker.get();
        d.removeAllImages();
        flushDirtyPages();
        Timed<Void> t = Timed.run(() -> {
          d.pull(reference);
          return null;
        });
        if (round == 1 - warmup) {
          checkSameImage(d, reference, s.value());
        }
        line += ", docker " + Samples.seconds(t.elapsed()) + " s";
        if (round >= 1) {
          dockerTimes.add(t.elapsed());
        }
      }
      System.out.println(line);
    }
    return new PullResult(image, compressed, new Samples(skiffTimes),
        dockerTimes.isEmpty() ? Optional.empty() : Optional.of(new Samples(dockerTimes)));
  }

  /** Guards against comparing different content, e.g. when docker-env.sh's registry serves another storage. */
  private static void checkSameImage(DockerCli docker, String reference, ImageRecord skiffPulled)
      throws DockerException {
    Digest expected = skiffPulled.indexDigest().orElse(skiffPulled.manifestDigest());
    List<String> dockerDigests = docker.repoDigests(reference);
    if (dockerDigests.stream().noneMatch(d -> d.endsWith("@" + expected))) {
      throw new IllegalStateException("docker pulled " + reference + " as " + dockerDigests + " but Skiff got "
          + expected + ": the two registries serve different content; check the storage in"
          + " benchmarks/docker-env.sh's registry.yml against the test-env registry's");
    }
  }

  /** Writes back earlier rounds' dirty pages now, so that they do not slow the next timed pull. */
  private static void flushDirtyPages() throws IOException, InterruptedException {
    int exit = new ProcessBuilder("sync").inheritIO().start().waitFor();
    if (exit != 0) {
      throw new IOException("sync failed with exit code " + exit);
    }
  }

  /** Docker decompresses layers with unpigz when it is on PATH, else with Go's gzip. */
  private static String dockerGunzip() {
    String path = System.getenv().getOrDefault("PATH", "");
    boolean unpigz = Arrays.stream(path.split(File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "unpigz")));
    return unpigz ? "unpigz" : "Go's compress/gzip (no unpigz on PATH)";
  }

  public static void main(String[] args) {
    ReportOutput.main("pull-benchmark", new PullBenchmark(), args);
  }
}
