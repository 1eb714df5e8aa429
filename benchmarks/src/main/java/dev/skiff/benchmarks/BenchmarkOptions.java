package dev.skiff.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The options every Skiff-vs-Docker scenario takes (a picocli mixin). */
final class BenchmarkOptions {
  @Option(names = "--registry", paramLabel = "HOST:PORT",
      description = "The local registry; default: 'registry' in .test-env/test-env.properties.")
  String registry;

  @Option(names = "--rounds", defaultValue = "10", description = "Measured rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--warmup", defaultValue = "2",
      description = "Rounds run first and not counted (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--docker-host", paramLabel = "URL",
      description = "The daemon to compare with, e.g. unix:///var/cache/skiff-bench/docker/docker.sock; use"
          + " benchmarks/docker-env.sh's private daemon. Testcontainers reads DOCKER_HOST, which must name the same.")
  String dockerHost;

  @Option(names = "--docker-cli", defaultValue = "docker", description = "The docker CLI (default: ${DEFAULT-VALUE}).")
  String dockerCli;

  @Option(names = "--no-docker", description = "Measure Skiff alone.")
  boolean noDocker;

  @Option(names = "--work", paramLabel = "DIR",
      description = "Skiff's store and scratch files; default: $SKIFF_BENCH_CACHE/skiff, else /var/cache/skiff-bench/skiff.")
  Path work;

  @Option(names = "--note", paramLabel = "TEXT", description = "A line for the report's notes (repeatable).")
  List<String> notes = List.of();

  @Option(names = "--results", paramLabel = "DIR", defaultValue = "benchmarks/results",
      description = "Where NAME-<date>.csv and .md are written (default: ${DEFAULT-VALUE}).")
  Path results;

  @Option(names = "--rows", paramLabel = "FILE",
      description = "Also append the result rows to FILE, for benchmarks/run.sh's combined summary.")
  Path rows;

  void check() {
    if (rounds < 1 || warmup < 0) {
      throw new IllegalArgumentException("--rounds must be at least 1 and --warmup at least 0");
    }
  }

  /** The registry to pull from: --registry, else the test env's. */
  String registryAddress() throws IOException {
    return registry != null ? registry : testEnvRegistry();
  }

  /** {@code registry/image}, e.g. {@code 127.0.0.1:55000/library/busybox:1.35}. */
  String image(String repositoryAndTag) throws IOException {
    return registryAddress() + "/" + repositoryAndTag;
  }

  Path workDir() {
    return work != null ? work : defaultWork();
  }

  /** $SKIFF_BENCH_CACHE/skiff, else /var/cache/skiff-bench/skiff: on the same file system as Docker's data root. */
  static Path defaultWork() {
    String cache = System.getenv("SKIFF_BENCH_CACHE");
    return Path.of(cache != null && !cache.isBlank() ? cache : "/var/cache/skiff-bench", "skiff");
  }

  /** The registry named in the test env's properties file (written by test-env/setup.sh). */
  static String testEnvRegistry() throws IOException {
    Path file = Path.of(System.getProperty("skiff.testenv", ".test-env/test-env.properties"));
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      props.load(in);
    } catch (IOException e) {
      throw new IOException("No --registry given and " + file.toAbsolutePath() + " cannot be read (" + e
          + "); run test-env/setup.sh first, or pass --registry HOST:PORT", e);
    }
    String value = props.getProperty("registry");
    if (value == null || value.isBlank()) {
      throw new IOException(file.toAbsolutePath() + " names no registry; rerun test-env/setup.sh");
    }
    return value.strip();
  }
}
