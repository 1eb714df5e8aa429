package dev.skiff.engine.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.testing.TestEnvironment;
import dev.skiff.engine.testing.TestImagePusher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images whose layers try to write outside their directory, pushed to the real registry and pulled the normal way:
 * each is refused with the image, layer and entry named, nothing lands outside, and nothing is recorded.
 */
class HostileLayerIT {
  final String marker = "skiff-escape-" + UUID.randomUUID();
  final Path outside = Path.of(System.getProperty("java.io.tmpdir"), marker);

  @Test
  void dotDotEscapeIsRefused(@TempDir Path store) throws IOException {
    byte[] layer = tarGz(out -> file(out, "../../../../../../../../../../.." + outside, "owned\n"));
    assertRefused(store, push("dotdot", layer), "..");
    assertThat(outside).doesNotExist();
  }

  @Test
  void writingThroughASymlinkIsRefused(@TempDir Path store) throws IOException {
    byte[] layer = tarGz(out -> {
      symlink(out, "link", outside.getParent().toString());
      file(out, "link/" + marker, "owned\n");
    });
    assertRefused(store, push("through-symlink", layer), "link/" + marker);
    assertThat(outside).doesNotExist();
  }

  @Test
  void hardlinkToAHostFileIsRefused(@TempDir Path store) throws IOException {
    Files.writeString(outside, "host secret\n");
    try {
      byte[] layer = tarGz(out -> hardlink(out, "stolen", "../../../../../../../../../.." + outside));
      String image = push("hardlink-out", layer);
      assertRefused(store, image, "stolen");
      assertThat(outside).hasContent("host secret");
    } finally {
      Files.deleteIfExists(outside);
    }
  }

  private void assertRefused(Path store, String image, String entry) throws IOException {
    try (Engine engine = Engine.create(EngineConfig.builder().store(store).build())) {
      assertThatThrownBy(() -> engine.pull(image))
          .hasMessageContaining(image)
          .hasMessageContaining("layer sha256:")
          .hasMessageContaining(entry);

      assertThat(engine.images()).isEmpty();
      try (Stream<Path> tmp = Files.list(store.resolve("tmp")); Stream<Path> layers = Files.list(store.resolve("layers/sha256"))) {
        assertThat(tmp).as("work left in the store").isEmpty();
        assertThat(layers).as("layers stored").isEmpty();
      }
    }
  }

  private String push(String name, byte[] layer) {
    return new TestImagePusher(TestEnvironment.registry())
        .pushGzipImage("skiff-test/hostile-" + name, "1", List.of(layer));
  }

  interface TarWriter {
    void write(TarArchiveOutputStream out) throws IOException;
  }

  static byte[] tarGz(TarWriter writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      writer.write(out);
    }
    return bytes.toByteArray();
  }

  static void file(TarArchiveOutputStream out, String name, String content) throws IOException {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(data.length);
    e.setMode(0100644);
    out.putArchiveEntry(e);
    out.write(data);
    out.closeArchiveEntry();
  }

  static void symlink(TarArchiveOutputStream out, String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    e.setLinkName(target);
    out.putArchiveEntry(e);
    out.closeArchiveEntry();
  }

  static void hardlink(TarArchiveOutputStream out, String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    e.setLinkName(target);
    out.putArchiveEntry(e);
    out.closeArchiveEntry();
  }
}
