package dev.skiff.engine.pull;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/** The exact tree the three layers of skiff-test/layers:1 must produce (see test-env/README.md). */
final class FixtureTree {
  private FixtureTree() {}

  static void assertMatches(Path root) throws IOException {
    boolean root0 = PullIT.isRoot();
    assertFile(root, "etc/keep.txt", "keep\n", 0644);
    assertThat(Files.getLastModifiedTime(root.resolve("etc/keep.txt"))).isEqualTo(FileTime.fromMillis(1_500_000_000_000L));
    assertThat(root.resolve("etc/gone.txt")).doesNotExist();
    assertFile(root, "etc/replaced.txt", "v2\n", 0600);
    assertFile(root, "etc/with space & ünïcode.txt", "utf8\n", 0644);

    assertThat(root.resolve("opaque/old1.txt")).doesNotExist();
    assertThat(root.resolve("opaque/sub")).doesNotExist();
    assertFile(root, "opaque/new.txt", "new\n", 0644);
    assertThat(root.resolve("removed-dir")).doesNotExist();

    assertFile(root, "data/original.bin", "hardlinked content\n", 0640);
    assertFile(root, "data/link-same-layer.bin", "hardlinked content\n", 0640);
    assertFile(root, "data/link-cross-layer.bin", "hardlinked content\n", 0640);
    assertFile(root, "data/" + "d".repeat(120) + "/long-name-file.txt", "long\n", 0644);
    assertFile(root, "bin/tool", "#!/bin/sh\necho tool\n", 04755);
    assertFile(root, "secret/none", "x\n", 0);

    assertThat(PullIT.mode(root.resolve("tmp"))).isEqualTo(01777);
    assertThat(PullIT.mode(root.resolve("secret"))).isEqualTo(0700);
    assertThat(PullIT.mode(root.resolve("home/app"))).isEqualTo(0750);

    assertThat(Files.readSymbolicLink(root.resolve("abs-link"))).hasToString("/etc/keep.txt");
    assertThat(Files.readSymbolicLink(root.resolve("dangling"))).hasToString("/does/not/exist");
    assertThat(Files.exists(root.resolve("etc/rel-link"), LinkOption.NOFOLLOW_LINKS)).isFalse();

    if (root0) {
      assertThat(Files.getAttribute(root.resolve("data/original.bin"), "unix:uid")).isEqualTo(1000);
      assertThat(Files.getAttribute(root.resolve("home/app"), "unix:gid")).isEqualTo(1000);
      assertThat(Files.getAttribute(root.resolve("etc/keep.txt"), "unix:uid")).isEqualTo(0);
    }
  }

  private static void assertFile(Path root, String path, String content, int mode) throws IOException {
    Path p = root.resolve(path);
    assertThat(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).as(path + " is a regular file").isTrue();
    assertThat(PullIT.mode(p)).as("mode of " + path).isEqualTo(mode);
    if (mode != 0 || PullIT.isRoot()) {
      assertThat(Files.readString(p)).as("content of " + path).isEqualTo(content);
    }
  }
}
