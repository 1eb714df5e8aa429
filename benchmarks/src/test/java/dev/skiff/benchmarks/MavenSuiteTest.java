package dev.skiff.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command lines of the end-to-end scenario's suites, and their runs against a stand-in for mvn that logs its
 * arguments, directory and environment.
 */
class MavenSuiteTest {
  @TempDir
  Path dir;

  private Path fakeMvn(String body) throws IOException {
    Path script = dir.resolve("mvn");
    Files.writeString(script, "#!/bin/sh\necho \"$(pwd) $* DOCKER_HOST=$DOCKER_HOST\"\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  @Test
  void skiffRunsTheExamplesAsAProjectOfTheirOwnAndItsStartUpSelectsNoTest() {
    MavenSuite skiff = EndToEndBenchmark.skiffSuite(Path.of("/repo"), Path.of("/work/m2"));
    assertThat(skiff.directory()).isEqualTo(Path.of("/repo/examples"));
    assertThat(skiff.command("mvn", false)).containsExactly("mvn", "-o", "-q", "-B", "test",
        "-Dmaven.repo.local=/work/m2");
    assertThat(skiff.command("mvn", true)).containsExactly("mvn", "-o", "-q", "-B", "test",
        "-Dmaven.repo.local=/work/m2", "-Dtest=none", "-Dsurefire.failIfNoSpecifiedTests=false");
  }

  @Test
  void anotherGoalRunsWithTheProjectsArgumentsAndNoTestFilter() throws Exception {
    Path mvn = fakeMvn("");
    MavenSuite suite = new MavenSuite("Skiff install", dir, List.of("-pl", "examples", "-am"),
        Optional.of("x.**"), Map.of());
    Path log = dir.resolve("install.log");

    suite.run(mvn.toString(), "install", log);

    assertThat(Files.readString(log)).startsWith(dir.toRealPath() + " -o -q -B install -pl examples -am DOCKER_HOST");
  }

  @Test
  void testcontainersRunsTheTwinProjectOnTheGivenDaemon() {
    MavenSuite tc = EndToEndBenchmark.testcontainersSuite(Path.of("/repo"), "unix:///d.sock");
    assertThat(tc.directory()).isEqualTo(Path.of("/repo/benchmarks/e2e-testcontainers"));
    assertThat(tc.command("/usr/bin/mvn", false)).containsExactly("/usr/bin/mvn", "-o", "-q", "-B", "test");
    assertThat(tc.command("mvn", true)).endsWith("-Dtest=none", "-Dsurefire.failIfNoSpecifiedTests=false");
    assertThat(tc.environment()).containsEntry("DOCKER_HOST", "unix:///d.sock")
        .containsEntry("TESTCONTAINERS_RYUK_DISABLED", "true")
        .containsEntry("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1");
  }

  @Test
  void aRunTakesAtLeastWhatMavenTookAndLogsItsOutput() throws Exception {
    Path mvn = fakeMvn("sleep 0.2");
    MavenSuite suite = new MavenSuite("Twin", dir, List.of(), Optional.empty(), Map.of("DOCKER_HOST", "unix:///x"));
    Path log = dir.resolve("run.log");

    Duration took = suite.run(mvn.toString(), true, log);

    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(Files.readString(log)).isEqualTo(dir.toRealPath() + " -o -q -B test -Dtest=none"
        + " -Dsurefire.failIfNoSpecifiedTests=false DOCKER_HOST=unix:///x\n");
  }

  @Test
  void aFailedRunSaysWhichSuiteCommandAndShowsTheEndOfItsOutput() throws Exception {
    Path mvn = fakeMvn("for i in $(seq 1 100); do echo line $i; done; echo 'Tests run: 9, Failures: 1'; exit 1");
    MavenSuite suite = new MavenSuite("Skiff", dir, List.of("-pl", "examples"), Optional.empty(), Map.of());
    Path log = dir.resolve("failed.log");

    assertThatThrownBy(() -> suite.run(mvn.toString(), false, log))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("The Skiff suite's `" + mvn + " -o -q -B test -pl examples` in " + dir)
        .hasMessageContaining("exited with 1")
        .hasMessageContaining("its whole output is in " + log)
        .hasMessageContaining("line 100\nTests run: 9, Failures: 1")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("line 50\n"));
  }

  @Test
  void aMissingMavenSaysHowToNameIt() {
    MavenSuite suite = new MavenSuite("Skiff", dir, List.of(), Optional.empty(), Map.of());
    assertThatThrownBy(() -> suite.run(dir.resolve("no-mvn").toString(), false, dir.resolve("x.log")))
        .isInstanceOf(IOException.class).hasMessageContaining("Skiff suite").hasMessageContaining("--mvn");
  }
}
