package dev.skiff.engine.runtime;

import static dev.skiff.engine.runtime.ContainerIT.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files into and out of real containers, before start and while running. */
class CopyIT extends RuntimeIT {
  static Container sleeper() throws IOException {
    return engine.run(sleeping().build());
  }

  /** A host tree: conf/app.conf (0640, uid 1234), conf/bin/run.sh (0755), conf/current -> app.conf. */
  static Path hostTree(Path dir) throws IOException {
    Path conf = Files.createDirectories(dir.resolve("conf/bin"));
    Path app = Files.writeString(dir.resolve("conf/app.conf"), "key=value\n");
    Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rw-r-----"));
    Files.setAttribute(app, "unix:uid", 1234);
    Path run = Files.writeString(conf.resolve("run.sh"), "#!/bin/sh\necho ran\n");
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(dir.resolve("conf/current"), Path.of("app.conf"));
    return dir.resolve("conf");
  }

  @Test
  void filesDirectoriesBytesAndResourcesAreCopiedInBeforeStart(@TempDir Path dir) throws Exception {
    ContainerSpec.Builder spec = ContainerSpec.builder(BUSYBOX)
        .copyIn(hostTree(dir), "/opt/conf")
        .copyIn("#!/bin/sh\necho from bytes $1\n".getBytes(StandardCharsets.UTF_8), "/usr/local/bin/hello", 0750)
        .copyInResource("copy-it/greeting.txt", "/etc/greeting", 0600)
        .command("sh", "-c", "stat -c '%a %u %n' /opt/conf/app.conf /opt/conf/bin/run.sh /usr/local/bin/hello"
            + " /etc/greeting; cat /etc/greeting; readlink /opt/conf/current; cat /opt/conf/current; /opt/conf/bin/run.sh;"
            + " hello there");
    try (Container c = runToExit(spec)) {
      assertThat(c.logs().stderr()).isEmpty();
      assertThat(c.logs().stdout()).isEqualTo("640 1234 /opt/conf/app.conf\n755 0 /opt/conf/bin/run.sh\n"
          + "750 0 /usr/local/bin/hello\n600 0 /etc/greeting\nhello from the class path\napp.conf\nkey=value\nran\nfrom bytes there\n");
    }
  }

  @Test
  void filesAreCopiedIntoARunningContainer(@TempDir Path dir) throws Exception {
    try (Container c = sleeper()) {
      c.copyToContainer(hostTree(dir), "/srv/conf");
      c.copyToContainer("v1".getBytes(StandardCharsets.UTF_8), "/srv/new/dir/file.txt", 0604);
      assertThat(c.exec("sh", "-c", "stat -c '%a %u' /srv/conf/app.conf /srv/new/dir/file.txt; cat /srv/new/dir/file.txt;"
          + " /srv/conf/bin/run.sh").stdout()).isEqualTo("640 1234\n604 0\nv1ran\n");
      c.copyToContainer("v2".getBytes(StandardCharsets.UTF_8), "/srv/new/dir/file.txt", 0600);
      assertThat(c.exec("cat", "/srv/new/dir/file.txt").stdout()).isEqualTo("v2");
    }
  }

  @Test
  void aHostileSymlinkInTheContainerCannotReachTheHost() throws Exception {
    Path hostTarget = Path.of("/etc/skiff-copy-escape-" + ProcessHandle.current().pid());
    try (Container c = sleeper()) {
      assertThat(c.exec("ln", "-s", "/etc", "/evil").exitCode()).isZero();
      c.copyToContainer("pwned".getBytes(StandardCharsets.UTF_8), "/evil/" + hostTarget.getFileName(), 0644);
      assertThat(Files.exists(hostTarget, LinkOption.NOFOLLOW_LINKS)).isFalse();
      // It landed in the container's /etc, where the link points inside the container.
      assertThat(c.exec("cat", hostTarget.toString()).stdout()).isEqualTo("pwned");
    } finally {
      Files.deleteIfExists(hostTarget);
    }
  }

  @Test
  void aSymlinkCopiedInBeforeStartResolvesInsideTheContainer(@TempDir Path dir) throws Exception {
    Path hostTarget = Path.of("/etc/skiff-copy-escape-start-" + ProcessHandle.current().pid());
    Files.createSymbolicLink(dir.resolve("evil"), Path.of("/etc"));
    ContainerSpec.Builder spec = ContainerSpec.builder(BUSYBOX)
        .copyIn(dir.resolve("evil"), "/evil")
        .copyIn("pwned".getBytes(StandardCharsets.UTF_8), "/evil/" + hostTarget.getFileName(), 0644)
        .command("cat", hostTarget.toString());
    try (Container c = runToExit(spec)) {
      assertThat(c.logs().stdout()).isEqualTo("pwned");
      assertThat(Files.exists(hostTarget, LinkOption.NOFOLLOW_LINKS)).isFalse();
    } finally {
      Files.deleteIfExists(hostTarget);
    }
  }

  @Test
  void treesComeOutWithModesSymlinksAndLongNames(@TempDir Path dir) throws Exception {
    String longName = "n".repeat(120);
    try (Container c = sleeper()) {
      assertThat(c.exec("sh", "-c", "mkdir -p /out/sub/" + longName + " && echo a > /out/a && chmod 600 /out/a"
          + " && echo deep > /out/sub/" + longName + "/f && ln -s /etc /out/link && chmod 700 /out/sub").exitCode())
          .isZero();
      Path target = dir.resolve("copy");
      c.copyFromContainer("/out", target);
      assertThat(Files.readString(target.resolve("a"))).isEqualTo("a\n");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("a"))))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("sub"))))
          .isEqualTo("rwx------");
      assertThat(Files.readString(target.resolve("sub/" + longName + "/f"))).isEqualTo("deep\n");
      assertThat(Files.readSymbolicLink(target.resolve("link"))).isEqualTo(Path.of("/etc"));
    }
  }

  @Test
  void aSymlinkedPathIsFollowedInsideTheContainer(@TempDir Path dir) throws Exception {
    try (Container c = sleeper()) {
      c.exec("sh", "-c", "ln -s /etc /evil && echo 'only:x:1:1::/:/bin/sh' > /etc/passwd");
      c.copyFromContainer("/evil/passwd", dir.resolve("passwd"));
      assertThat(Files.readString(dir.resolve("passwd"))).isEqualTo("only:x:1:1::/:/bin/sh\n");
    }
  }

  @Test
  void bigFilesRoundTrip(@TempDir Path dir) throws Exception {
    byte[] data = new byte[5 << 20];
    new Random(42).nextBytes(data);
    Path source = Files.write(dir.resolve("big.bin"), data);
    try (Container c = sleeper()) {
      c.copyToContainer(source, "/data/big.bin");
      assertThat(c.exec("stat", "-c", "%s", "/data/big.bin").stdout()).isEqualTo(data.length + "\n");
      c.copyFromContainer("/data/big.bin", dir.resolve("back.bin"));
      assertThat(Files.readAllBytes(dir.resolve("back.bin"))).isEqualTo(data);
    }
  }

  @Test
  void missingPathsAndStoppedContainersAreExplained(@TempDir Path dir) throws Exception {
    try (Container c = sleeper()) {
      assertThatThrownBy(() -> c.copyFromContainer("/no/such/file", dir.resolve("x")))
          .isInstanceOf(ContainerException.class).hasMessageContaining("/no/such/file")
          .hasMessageContaining("no such file");
      c.exec("sh", "-c", "mkdir /d && echo x > /f");
      assertThatThrownBy(() -> c.copyToContainer(new byte[0], "/f/under-a-file", 0644))
          .isInstanceOf(ContainerException.class).hasMessageContaining("/f");
    }
    try (Container c = runToExit(ContainerSpec.builder(BUSYBOX).command("true"))) {
      assertThatThrownBy(() -> c.copyToContainer(new byte[0], "/x", 0644))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("has exited");
    }
    assertThatThrownBy(() -> ContainerSpec.builder(BUSYBOX).copyIn(new byte[0], "relative/path", 0644))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
  }

  @Test
  void anExitedContainersFilesComeOutWithItsDeletionsAndSymlinks(@TempDir Path dir) throws Exception {
    try (Container c = runToExit(ContainerSpec.builder(BUSYBOX).command("sh", "-c", "mkdir -p /out/sub"
        + " && echo report > /out/report.txt && chmod 600 /out/report.txt && ln -s /etc /out/sub/link"
        + " && rm /etc/group && echo 'only:x:1:1::/:/bin/sh' > /etc/passwd && exit 3"))) {
      assertThat(c.exitCode()).hasValue(3);
      c.copyFromContainer("/out", dir.resolve("out"));
      assertThat(Files.readString(dir.resolve("out/report.txt"))).isEqualTo("report\n");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("out/report.txt"))))
          .isEqualTo("rw-------");
      assertThat(Files.readSymbolicLink(dir.resolve("out/sub/link"))).isEqualTo(Path.of("/etc"));

      c.copyFromContainer("/out/sub/link", dir.resolve("etc")); // followed inside the container's files
      assertThat(Files.readString(dir.resolve("etc/passwd"))).isEqualTo("only:x:1:1::/:/bin/sh\n");
      assertThat(dir.resolve("etc/group")).as("deleted in the container: a whiteout over the image's").doesNotExist();
      assertThatThrownBy(() -> c.copyFromContainer("/etc/group", dir.resolve("group")))
          .isInstanceOf(ContainerException.class).hasMessageContaining("/etc/group")
          .hasMessageContaining("no such file");
    }
  }

  @Test
  void aContainerNotStartedYetShowsItsImagesFiles(@TempDir Path dir) throws Exception {
    try (Container c = engine.create(sleeping().build())) {
      c.copyFromContainer("/etc/passwd", dir.resolve("passwd"));
      assertThat(Files.readString(dir.resolve("passwd"))).startsWith("root:x:0:0:");
      c.start();
      c.exec("sh", "-c", "echo started > /etc/passwd");
      c.copyFromContainer("/etc/passwd", dir.resolve("passwd"));
      assertThat(Files.readString(dir.resolve("passwd"))).isEqualTo("started\n");
    }
  }

  @Test
  void aRemovedContainerHasNoFilesToCopy(@TempDir Path dir) throws Exception {
    Container c = runToExit(ContainerSpec.builder(BUSYBOX).command("true"));
    c.remove();
    assertThatThrownBy(() -> c.copyFromContainer("/etc/passwd", dir.resolve("passwd")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("removed")
        .hasMessageContaining("before remove()");
  }
}
