package dev.skiff.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A project's test suite run the way its users run it, {@code mvn -o -q -B test}, from the command line: the whole
 * run, or the same command with no test selected ({@code -Dtest=none}): Maven's start and the build's up-to-date
 * checks, no test JVM; the part of the wall time that is not the tests'.
 *
 * @param name says whose suite it is in reports and errors, e.g. {@code Skiff}
 * @param directory where mvn runs
 * @param projects selects the reactor's modules, e.g. {@code -pl examples -am}, and other arguments for every run
 * @param testFilter surefire's {@code -Dtest} for the whole run, when the selected modules hold other tests
 * @param environment added to this process's environment for mvn
 */
record MavenSuite(String name, Path directory, List<String> projects, Optional<String> testFilter,
    Map<String, String> environment) {
  private static final Duration TIMEOUT = Duration.ofMinutes(30);
  private static final int LOG_TAIL_LINES = 40;

  MavenSuite {
    projects = List.copyOf(projects);
    environment = Map.copyOf(environment);
  }

  /** The command line: {@code mvn -o -q -B test ...}, with {@code -Dtest=none} when {@code startUpOnly}. */
  List<String> command(String mvn, boolean startUpOnly) {
    List<String> command = new ArrayList<>(List.of(mvn, "-o", "-q", "-B", "test"));
    command.addAll(projects);
    Optional<String> test = startUpOnly ? Optional.of("none") : testFilter;
    test.ifPresent(t -> command.addAll(List.of("-Dtest=" + t, "-Dsurefire.failIfNoSpecifiedTests=false")));
    return command;
  }

  /**
   * Runs {@link #command} to its end, its output into {@code log}, and returns the wall time.
   *
   * @throws IOException when mvn fails or times out, with the command, the log and its last lines
   */
  Duration run(String mvn, boolean startUpOnly, Path log) throws IOException, InterruptedException {
    return run(command(mvn, startUpOnly), log);
  }

  /** Runs {@code mvn -o -q -B GOAL} and the projects' arguments, like {@link #run(String, boolean, Path)}. */
  Duration run(String mvn, String goal, Path log) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(mvn, "-o", "-q", "-B", goal));
    command.addAll(projects);
    return run(command, log);
  }

  private Duration run(List<String> command, Path log) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    long start = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException("Cannot run " + command.get(0) + " for the " + name + " suite in " + directory + " (" + e
          + "); install Maven or pass --mvn PATH", e);
    }
    if (!process.waitFor(TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw failure(command, "did not end within " + TIMEOUT.toMinutes() + " minutes", log);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    if (process.exitValue() != 0) {
      throw failure(command, "exited with " + process.exitValue(), log);
    }
    return elapsed;
  }

  private IOException failure(List<String> command, String what, Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
    return new IOException("The " + name + " suite's `" + String.join(" ", command) + "` in " + directory + " " + what
        + "; its whole output is in " + log + ", the last lines:\n" + String.join("\n", tail));
  }
}
