package dev.skiff.benchmarks;

import dev.skiff.benchmarks.docker.DockerCli;
import dev.skiff.benchmarks.docker.DockerException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.testcontainers.DockerClientFactory;

/**
 * The Docker engine Skiff is compared with, through its CLI and through Testcontainers, or why there is none.
 * Testcontainers takes its settings from the environment, which benchmarks/run.sh exports: DOCKER_HOST (the same
 * daemon as --docker-host), TESTCONTAINERS_RYUK_DISABLED=true, TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 (this
 * machine has /.dockerenv, so Testcontainers would otherwise look for the host through a gateway) and
 * TESTCONTAINERS_CHECKS_DISABLE=true (its start-up checks pull an image from Docker Hub).
 */
final class DockerSide {
  private final Optional<DockerCli> cli;
  private final Optional<String> missing;

  private DockerSide(Optional<DockerCli> cli, Optional<String> missing) {
    this.cli = cli;
    this.missing = missing;
  }

  /** Connects the CLI and, if {@code testcontainers}, Testcontainers; never fails: {@link #missing()} says why. */
  static DockerSide connect(BenchmarkOptions options, boolean testcontainers) {
    if (options.noDocker) {
      return none("--no-docker was given.");
    }
    if (options.dockerHost == null) {
      return none("no --docker-host was given; start a private daemon with benchmarks/docker-env.sh start"
          + " (benchmarks/run.sh does that and passes it).");
    }
    DockerCli cli;
    try {
      cli = DockerCli.connect(options.dockerCli, options.dockerHost);
    } catch (DockerException e) {
      return none("the daemon at " + options.dockerHost + " cannot be used: " + e.getMessage());
    }
    if (testcontainers) {
      String env = System.getenv("DOCKER_HOST");
      if (!options.dockerHost.equals(env)) {
        return none("Testcontainers would use DOCKER_HOST=" + env + ", not " + options.dockerHost
            + "; export DOCKER_HOST=" + options.dockerHost + " TESTCONTAINERS_RYUK_DISABLED=true"
            + " TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 TESTCONTAINERS_CHECKS_DISABLE=true (benchmarks/run.sh does).");
      }
      try {
        DockerClientFactory.instance().client();
      } catch (RuntimeException e) {
        return none("Testcontainers cannot use the daemon at " + env + ": " + e.getMessage());
      }
    }
    return new DockerSide(Optional.of(cli), Optional.empty());
  }

  /**
   * The environment Testcontainers needs in a process of its own (e.g. a test JVM under mvn), the same as
   * benchmarks/run.sh exports for the benchmark JVMs.
   */
  static Map<String, String> testcontainersEnvironment(String dockerHost) {
    return Map.of("DOCKER_HOST", dockerHost, "TESTCONTAINERS_RYUK_DISABLED", "true",
        "TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1", "TESTCONTAINERS_CHECKS_DISABLE", "true");
  }

  private static DockerSide none(String why) {
    System.out.println("No docker comparison: " + why);
    return new DockerSide(Optional.empty(), Optional.of(why));
  }

  boolean present() {
    return cli.isPresent();
  }

  /** The CLI; call only when {@link #present()}. */
  DockerCli cli() {
    return cli.orElseThrow(() -> new IllegalStateException("No docker: " + missing.orElse("")));
  }

  /** Why Docker was not measured; empty when it was. */
  Optional<String> missing() {
    return missing;
  }

  /** For the machine description: the daemon's version, Testcontainers', or "not measured". */
  String describe() {
    return cli.map(c -> c.serverVersion() + " (daemon at " + c.host() + "), Testcontainers "
        + testcontainersVersion()).orElse("not measured");
  }

  /** As the build recorded it: Testcontainers' jar names its version nowhere. */
  private static String testcontainersVersion() {
    Properties versions = new Properties();
    try (InputStream in = DockerSide.class.getResourceAsStream("/anchor-versions.properties")) {
      if (in != null) {
        versions.load(in);
      }
    } catch (IOException e) {
      return "(version unreadable: " + e.getMessage() + ")";
    }
    return versions.getProperty("testcontainers.version", "(version unknown)");
  }
}
