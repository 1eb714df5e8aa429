package dev.skiff.engine.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.engine.store.ImageStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopDirectoryTest {
  @TempDir Path tmp;

  /** The flags lsattr shows for {@code dir}, or null where the file system has none. */
  static String lsattr(Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("lsattr", "-d", dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor() == 0 ? out.split("\\s+")[0] : null;
  }

  @Test
  void marksADirectoryWhereTheFileSystemKnowsTheFlag() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("layers"));
    String before = lsattr(dir);
    assumeTrue(before != null, "needs a file system with ext2-style flags (ext4 here) and lsattr");
    assertThat(before).doesNotContain("T");

    assertThat(TopDirectory.mark(dir)).isTrue();
    assertThat(lsattr(dir)).contains("T");
    assertThat(TopDirectory.mark(dir)).as("already marked").isTrue();
  }

  @Test
  void leavesDirectoriesElsewhereAloneWithoutFailing() throws Exception {
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && Files.getFileStore(shm).type().equals("tmpfs"), "needs a tmpfs at /dev/shm");

    assertThat(TopDirectory.mark(shm)).as("tmpfs knows some flags (since Linux 6.0), not this one").isFalse();
    assertThat(TopDirectory.mark(tmp.resolve("missing"))).isFalse();
  }

  @Test
  void theStoreMarksTheDirectoryLayersAreUnpackedIn() throws Exception {
    assumeTrue(lsattr(tmp) != null, "needs a file system with ext2-style flags (ext4 here) and lsattr");

    ImageStore store = ImageStore.open(tmp.resolve("store"));

    assertThat(lsattr(store.newTempDir().getParent())).contains("T");
  }
}
