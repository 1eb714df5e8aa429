package dev.skiff.benchmarks.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DockerCli against a stand-in for the docker executable that logs its arguments, so that what DockerCli asks
 * of the CLI, and how it reports failures, can be checked without a daemon.
 */
class DockerCliTest {
  @TempDir
  Path dir;

  private Path fakeDocker(String body) throws Exception {
    Path script = dir.resolve("docker");
    Files.writeString(script, "#!/bin/sh\necho \"$*\" >>\"" + dir.resolve("calls") + "\"\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private String calls() throws Exception {
    return Files.readString(dir.resolve("calls"));
  }

  @Test
  void connectAsksTheNamedDaemonForItsVersion() throws Exception {
    Path docker = fakeDocker("echo 20.10.24+dfsg1");
    DockerCli cli = DockerCli.connect(docker.toString(), "unix:///tmp/d.sock");
    assertThat(cli.serverVersion()).isEqualTo("20.10.24+dfsg1");
    assertThat(calls()).isEqualTo("-H unix:///tmp/d.sock version --format {{.Server.Version}}\n");
  }

  @Test
  void removeAllImagesRemovesEachListedImageThenPrunes() throws Exception {
    Path docker = fakeDocker("case \"$3\" in images) printf 'aaa\\nbbb\\naaa\\n';; esac");
    DockerCli.connect(docker.toString(), "unix:///d").removeAllImages();
    assertThat(calls().lines()).containsExactly(
        "-H unix:///d version --format {{.Server.Version}}",
        "-H unix:///d images -aq",
        "-H unix:///d rmi -f aaa bbb",
        "-H unix:///d image prune -af");
  }

  @Test
  void removeAllImagesOnAnEmptyDaemonOnlyPrunes() throws Exception {
    Path docker = fakeDocker("true");
    DockerCli.connect(docker.toString(), "unix:///d").removeAllImages();
    assertThat(calls()).doesNotContain("rmi").contains("image prune -af");
  }

  @Test
  void aFailingCommandReportsTheCommandExitCodeAndStderr() throws Exception {
    Path docker = fakeDocker("echo 'Cannot connect to the Docker daemon' >&2; exit 1");
    assertThatThrownBy(() -> DockerCli.connect(docker.toString(), "unix:///nowhere.sock"))
        .isInstanceOf(DockerException.class)
        .hasMessageContaining(docker + " -H unix:///nowhere.sock version")
        .hasMessageContaining("exit code 1")
        .hasMessageContaining("Cannot connect to the Docker daemon");
  }

  @Test
  void aMissingExecutableSaysHowToGetOne() {
    assertThatThrownBy(() -> DockerCli.connect(dir.resolve("no-such-docker").toString(), "unix:///d"))
        .isInstanceOf(DockerException.class)
        .hasMessageContaining("no-such-docker")
        .hasMessageContaining("--docker-cli");
  }
}
