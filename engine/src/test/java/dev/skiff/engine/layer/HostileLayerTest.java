package dev.skiff.engine.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Layers that try to write outside their directory are refused, naming the entry, and write nothing outside. */
class HostileLayerTest {
  @TempDir Path tmp;

  static Stream<Arguments> hostileLayers() {
    return Stream.of(
        hostile("'..' climbing out", "../sentinel/pwned", s -> new TarBuilder().file("../sentinel/pwned", "x")),
        hostile("'..' deeper down", "a/b/../../../sentinel/pwned",
            s -> new TarBuilder().dir("a/b", 0755).file("a/b/../../../sentinel/pwned", "x")),
        hostile("'..' after a leading slash", "/../sentinel/pwned",
            s -> new TarBuilder().file("/../sentinel/pwned", "x")),
        hostile("a relative symlink as parent", "link/pwned",
            s -> new TarBuilder().symlink("link", "../sentinel").file("link/pwned", "x")),
        hostile("an absolute symlink as parent", "link/pwned",
            s -> new TarBuilder().symlink("link", s.toString()).file("link/pwned", "x")),
        hostile("a symlink as grandparent", "dir/link/deeper/pwned",
            s -> new TarBuilder().dir("dir", 0755).symlink("dir/link", s.toString()).file("dir/link/deeper/pwned", "x")),
        hostile("a directory replaced by a symlink", "d/pwned",
            s -> new TarBuilder().dir("d", 0755).file("d/ok", "fine").symlink("d", s.toString()).file("d/pwned", "x")),
        hostile("a symlink as parent of a directory", "link/newdir/",
            s -> new TarBuilder().symlink("link", s.toString()).dir("link/newdir", 0755)),
        hostile("a hardlink target climbing out", "stolen",
            s -> new TarBuilder().hardlink("stolen", "../sentinel/target")),
        hostile("a hardlink target below a symlink", "stolen",
            s -> new TarBuilder().symlink("link", s.toString()).hardlink("stolen", "link/target")),
        hostile("a whiteout climbing out", "../sentinel/.wh.target",
            s -> new TarBuilder().file("../sentinel/.wh.target", "")),
        hostile("a whiteout for '..'", "sub/.wh...", s -> new TarBuilder().dir("sub", 0755).file("sub/.wh...", "")),
        hostile("a whiteout below a symlink", "link/.wh.target",
            s -> new TarBuilder().symlink("link", s.toString()).file("link/.wh.target", "")),
        hostile("an opaque marker below a symlink", "link/.wh..wh..opq",
            s -> new TarBuilder().symlink("link", s.toString()).file("link/.wh..wh..opq", "")),
        hostile("a PAX path climbing out", "../sentinel/pwned",
            s -> new TarBuilder().paxHeader(record("path", "../sentinel/pwned")).file("innocent", "x")),
        hostile("a PAX linkpath climbing out", "stolen",
            s -> new TarBuilder().paxHeader(record("linkpath", "../sentinel/target")).hardlink("stolen", "innocent")),
        hostile("a GNU long name climbing out", "x".repeat(100) + "/../../sentinel/pwned",
            s -> new TarBuilder(TarArchiveOutputStream.LONGFILE_GNU)
                .file("x".repeat(100) + "/../../sentinel/pwned", "x")),
        hostile("a file in place of the root", ".", s -> new TarBuilder().file(".", "x")));
  }

  static Arguments hostile(String description, String entry, Function<Path, TarBuilder> layer) {
    return Arguments.of(description, entry, layer);
  }

  static byte[] record(String key, String value) {
    return TarBuilder.paxRecord(key, value.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileLayers")
  void isRefusedNamingTheEntryAndLeavesTheSentinelAlone(
      String description, String entry, Function<Path, TarBuilder> hostileLayer) throws IOException {
    Path sentinel = Files.createDirectory(tmp.resolve("sentinel"));
    Path target = Files.writeString(sentinel.resolve("target"), "original");
    FileTime before = Files.getLastModifiedTime(target);
    Object modeBefore = Files.getAttribute(sentinel, "unix:mode");
    Path layer = Files.createDirectory(tmp.resolve("layer"));
    byte[] tar = hostileLayer.apply(sentinel).tar();

    assertThatThrownBy(() -> new LayerUnpacker(LayerUnpackerTest.ROOT)
            .unpack(new ByteArrayInputStream(TarBuilder.gzip(tar)), layer, LayerUnpackerTest.WHAT))
        .isInstanceOf(LayerException.class)
        .hasMessageContaining(LayerUnpackerTest.WHAT)
        .hasMessageContaining("refusing entry '" + entry + "'");

    try (Stream<Path> besideLayer = Files.list(tmp); Stream<Path> inSentinel = Files.list(sentinel)) {
      assertThat(besideLayer).containsExactlyInAnyOrder(layer, sentinel);
      assertThat(inSentinel).containsExactly(target);
    }
    assertThat(target).hasContent("original");
    assertThat(Files.getLastModifiedTime(target)).isEqualTo(before);
    assertThat(Files.getAttribute(target, "unix:nlink")).isEqualTo(1);
    assertThat(Files.getAttribute(sentinel, "unix:mode")).isEqualTo(modeBefore);
    assertThat(Posix.listXattrs(sentinel)).isEqualTo(List.of());
  }
}
