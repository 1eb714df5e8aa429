package dev.skiff.engine.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixTest {
  @TempDir Path tmp;

  @Test
  void encodesDeviceNumbersAsTheKernelReportsThem() throws IOException {
    assertThat(Files.getAttribute(Path.of("/dev/null"), "unix:rdev")).isEqualTo(Posix.device(1, 3));
  }

  @Test
  void namesTheCallAndThePathWhenOneFails() {
    Path missing = tmp.resolve("missing");

    assertThatThrownBy(() -> Posix.chmod(missing, 0644))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("chmod failed: No such file or directory");
    assertThatThrownBy(() -> Posix.lchown(missing, 0, 0))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("lchown");
  }

  @Test
  void reportsAnOccupiedPathAsFileAlreadyExists() throws IOException {
    Path taken = Files.createFile(tmp.resolve("taken"));

    assertThatThrownBy(() -> Posix.mknod(taken, Posix.S_IFIFO | 0644, 0))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining(taken.toString());
    assertThatThrownBy(() -> Posix.symlink("anywhere", taken)).isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void setsTimesOfASymlinkItselfNotOfItsTarget() throws IOException {
    Path target = Files.createFile(tmp.resolve("target"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
    var before = Files.getLastModifiedTime(target);
    var time = java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L);

    Posix.setTimes(link, time, time);

    assertThat(Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS)).isEqualTo(time);
    assertThat(Files.getLastModifiedTime(target)).isEqualTo(before);
  }

  @Test
  void readsBackXattrsOfAnyLength() throws IOException {
    Path file = Files.createFile(tmp.resolve("file"));
    byte[] big = new byte[3000];
    java.util.Arrays.fill(big, (byte) 0x80);

    assertThat(Posix.setXattr(file, "user.big", big)).isTrue();

    assertThat(Posix.getXattr(file, "user.big")).isEqualTo(big);
    assertThat(Posix.getXattr(file, "user.absent")).isNull();
    assertThat(Posix.listXattrs(file)).contains("user.big");
  }
}
