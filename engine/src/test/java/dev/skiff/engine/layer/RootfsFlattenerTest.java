package dev.skiff.engine.layer;

import static dev.skiff.engine.layer.LayerUnpackerTest.attribute;
import static dev.skiff.engine.layer.LayerUnpackerTest.mode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RootfsFlattenerTest {
  static final FileTime SU_TIME = FileTime.from(Instant.parse("2015-06-07T08:09:10Z"));

  @TempDir Path tmp;

  static byte[] bottom() {
    return new TarBuilder()
        .file("etc/passwd", "root:x:0:0")
        .file("etc/hosts", "hosts of layer 1")
        .file("etc/old", "old")
        .file("var/cache/a", "a")
        .file("var/cache/sub/b", "b")
        .file("usr/bin/busybox", "multi-call")
        .hardlink("usr/bin/sh", "usr/bin/busybox")
        .add("usr/bin/su", TarConstants.LF_NORMAL, e -> { e.setMode(04755); e.setModTime(SU_TIME); }, new byte[] {1})
        .dir("opt/app", 0755)
        .file("opt/app/x", "x")
        .symlink("lib", "usr/lib")
        .dir("tmp", 01777)
        .tar();
  }

  static byte[] middle() {
    return new TarBuilder()
        .file("etc/.wh.old", "")
        .dir("var/cache", 0700)
        .file("var/cache/.wh..wh..opq", "")
        .file("var/cache/new", "new")
        .file("etc/hosts", "hosts of layer 2")
        .file("opt/app", "a file over a directory")
        .tar();
  }

  static byte[] top() {
    return new TarBuilder()
        .file("etc/.wh.hosts", "")
        .dir("opt/app", 0750)
        .file("opt/app/y", "y")
        .file("etc/old", "reborn")
        .file(".wh.lib", "")
        .file("var/cache/new2", "new2")
        .tar();
  }

  List<Path> unpackLayers(UnpackOptions options) throws IOException {
    List<Path> layers = new ArrayList<>();
    int n = 0;
    for (byte[] tar : List.of(bottom(), middle(), top())) {
      Path dir = Files.createDirectory(tmp.resolve("layer" + ++n));
      new LayerUnpacker(options).unpack(new ByteArrayInputStream(TarBuilder.gzip(tar)), dir, "layer " + n);
      layers.add(dir);
    }
    return layers;
  }

  @ParameterizedTest
  @EnumSource(WhiteoutFormat.class)
  void appliesWhiteoutsAndOpaqueDirectoriesAcrossThreeLayers(WhiteoutFormat format) throws IOException {
    assumeTrue(format == WhiteoutFormat.OVERLAY_USER || LayerUnpackerTest.isRoot(), "trusted.* xattrs need root");
    List<Path> layers = unpackLayers(new UnpackOptions(LayerUnpackerTest.isRoot(), format));
    Path rootfs = tmp.resolve("rootfs");

    RootfsFlattener.flatten(layers, rootfs);

    assertThat(rootfs.resolve("etc/passwd")).hasContent("root:x:0:0");
    assertThat(rootfs.resolve("etc/hosts")).as("whited out on top").doesNotExist();
    assertThat(rootfs.resolve("etc/old")).as("whited out, then added again").hasContent("reborn");
    assertThat(list(rootfs.resolve("var/cache"))).as("opaque in the middle layer").containsExactlyInAnyOrder("new", "new2");
    assertThat(list(rootfs.resolve("opt/app"))).as("dir, file, dir again").containsExactly("y");
    assertThat(mode(rootfs.resolve("opt/app"))).isEqualTo(Posix.S_IFDIR | 0750);
    assertThat(rootfs.resolve("lib")).as("a whited-out symlink").doesNotExist();
    assertThat(attribute(rootfs.resolve("usr/bin/sh"), "ino")).isEqualTo(attribute(rootfs.resolve("usr/bin/busybox"), "ino"));
    assertThat(mode(rootfs.resolve("usr/bin/su"))).isEqualTo(Posix.S_IFREG | 04755);
    assertThat(Files.getLastModifiedTime(rootfs.resolve("usr/bin/su"))).isEqualTo(SU_TIME);
    assertThat(mode(rootfs.resolve("tmp"))).isEqualTo(Posix.S_IFDIR | 01777);
    assertThat(Files.getLastModifiedTime(rootfs.resolve("opt/app"))).isEqualTo(TarBuilder.MTIME);
    assertNoOverlayArtifacts(rootfs);
  }

  @Test
  void keepsSymlinksFifosOwnersAndXattrs() throws IOException {
    assumeTrue(LayerUnpackerTest.isRoot(), "owners need root");
    byte[] tar = new TarBuilder()
        .symlink("link", "../relative//target/")
        .add("fifo", TarConstants.LF_FIFO, e -> e.setMode(0620), null)
        .add("owned", TarConstants.LF_NORMAL, e -> {
          e.setIds(1000, 2000);
          e.addPaxHeader("SCHILY.xattr.user.note", "kept");
        }, new byte[] {1})
        .add("null", TarConstants.LF_CHR, e -> { e.setDevMajor(1); e.setDevMinor(3); e.setMode(0666); }, null)
        .tar();
    Path layer = Files.createDirectory(tmp.resolve("layer"));
    new LayerUnpacker(LayerUnpackerTest.ROOT).unpack(new ByteArrayInputStream(tar), layer, "layer");
    Path rootfs = tmp.resolve("rootfs");

    RootfsFlattener.flatten(List.of(layer), rootfs);

    assertThat(Files.readSymbolicLink(rootfs.resolve("link")).toString()).isEqualTo("../relative//target/");
    assertThat(mode(rootfs.resolve("fifo"))).isEqualTo(Posix.S_IFIFO | 0620);
    assertThat(attribute(rootfs.resolve("owned"), "uid")).isEqualTo(1000);
    assertThat(attribute(rootfs.resolve("owned"), "gid")).isEqualTo(2000);
    assertThat(Posix.getXattr(rootfs.resolve("owned"), "user.note")).isEqualTo("kept".getBytes());
    assertThat(attribute(rootfs.resolve("null"), "rdev")).isEqualTo(Posix.device(1, 3));
    assertThat(mode(rootfs.resolve("null"))).isEqualTo(Posix.S_IFCHR | 0666);
  }

  static List<String> list(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.map(p -> p.getFileName().toString()).toList();
    }
  }

  static void assertNoOverlayArtifacts(Path rootfs) throws IOException {
    try (Stream<Path> all = Files.walk(rootfs)) {
      for (Path path : all.toList()) {
        boolean whiteout = (mode(path) & Posix.S_IFMT) == Posix.S_IFCHR && (long) attribute(path, "rdev") == 0;
        assertThat(whiteout).as("%s is a whiteout", path).isFalse();
        assertThat(Posix.listXattrs(path)).as("xattrs of %s", path).noneMatch(WhiteoutFormat::isOverlayXattr);
        assertThat(path.getFileName().toString()).doesNotStartWith(".wh.");
      }
    }
  }

  @Test
  void flattensIntoAnExistingEmptyDirectory() throws IOException {
    Path layer = Files.createDirectory(tmp.resolve("layer"));
    Files.writeString(layer.resolve("file"), "content");
    Path rootfs = Files.createDirectory(tmp.resolve("rootfs"));

    RootfsFlattener.flatten(List.of(layer), rootfs);

    assertThat(rootfs.resolve("file")).hasContent("content");
  }
}
