package dev.skiff.benchmarks.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code docker} command line against one explicitly named daemon, for benchmarks that compare Skiff with
 * Docker. Every call runs {@code docker -H <host> ...} and fails with the command and its stderr.
 *
 * <p>Never point it at a daemon whose images matter: {@link #removeAllImages()} deletes them all. The benchmarks use
 * the private daemon of {@code benchmarks/docker-env.sh}.
 */
public final class DockerCli {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final String executable;
  private final String host;
  private final String serverVersion;

  private DockerCli(String executable, String host, String serverVersion) {
    this.executable = executable;
    this.host = host;
    this.serverVersion = serverVersion;
  }

  /**
   * Connects to the daemon at {@code host} (e.g. {@code unix:///var/cache/skiff-bench/docker/docker.sock}) through
   * the CLI {@code executable} (a path, or a name looked up on PATH), checking that the daemon answers.
   *
   * @throws DockerException saying why the daemon cannot be used
   */
  public static DockerCli connect(String executable, String host) throws DockerException {
    Objects.requireNonNull(executable, "executable");
    Objects.requireNonNull(host, "host");
    DockerCli probe = new DockerCli(executable, host, "");
    String version = probe.run("version", "--format", "{{.Server.Version}}").strip();
    return new DockerCli(executable, host, version);
  }

  /** The daemon address given to {@code -H}. */
  public String host() {
    return host;
  }

  /** The daemon's version, e.g. {@code 20.10.24+dfsg1}. */
  public String serverVersion() {
    return serverVersion;
  }

  /** {@code docker pull -q image}: returns once the daemon has downloaded and unpacked every layer. */
  public void pull(String image) throws DockerException {
    run("pull", "-q", image);
  }

  /** Deletes every image and every layer the daemon holds, so that the next pull is cold. */
  public void removeAllImages() throws DockerException {
    List<String> ids = run("images", "-aq").lines().filter(l -> !l.isBlank()).distinct().toList();
    if (!ids.isEmpty()) {
      List<String> rmi = new ArrayList<>(List.of("rmi", "-f"));
      rmi.addAll(ids);
      run(rmi.toArray(String[]::new));
    }
    run("image", "prune", "-af");
  }

  /** The {@code name@sha256:...} digests the daemon recorded for a pulled {@code image}. */
  public List<String> repoDigests(String image) throws DockerException {
    return run("image", "inspect", "--format", "{{join .RepoDigests \"\\n\"}}", image)
        .lines().filter(l -> !l.isBlank()).toList();
  }

  /** Runs {@code docker -H <host> args...} and returns its standard output. */
  public String run(String... args) throws DockerException {
    List<String> command = new ArrayList<>(List.of(executable, "-H", host));
    command.addAll(Arrays.asList(args));
    String shown = String.join(" ", command);
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new DockerException("Cannot run '" + shown + "': " + e.getMessage()
          + "; install the docker CLI (apt-get install docker.io) or name it with --docker-cli", e);
    }
    try {
      process.getOutputStream().close();
      CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      String stdout = readAll(process.getInputStream());
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new DockerException("'" + shown + "' did not finish within " + TIMEOUT.toMinutes() + " minutes");
      }
      if (process.exitValue() != 0) {
        throw new DockerException("'" + shown + "' failed with exit code " + process.exitValue() + ": "
            + stderr.join().strip());
      }
      return stdout;
    } catch (IOException | UncheckedIOException e) {
      throw new DockerException("Cannot read the output of '" + shown + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new DockerException("Interrupted while running '" + shown + "'", e);
    }
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
