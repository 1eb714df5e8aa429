package dev.skiff.engine.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.engine.hash.Digest;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {
  static final String WHAT = "layer sha256:0123456789ab of 127.0.0.1:5000/test/image:1";
  static final UnpackOptions ROOT = new UnpackOptions(true, WhiteoutFormat.OVERLAY_TRUSTED);
  static final UnpackOptions ROOTLESS = new UnpackOptions(false, WhiteoutFormat.OVERLAY_USER);

  @TempDir Path tmp;
  Path layer;

  @BeforeEach
  void createLayerDir() throws IOException {
    layer = Files.createDirectory(tmp.resolve("layer"));
  }

  static boolean isRoot() {
    return UnpackOptions.forCurrentUser().privileged();
  }

  UnpackedLayer unpack(byte[] blob, UnpackOptions options) throws IOException {
    return new LayerUnpacker(options).unpack(new ByteArrayInputStream(blob), layer, WHAT);
  }

  static int mode(Path path) throws IOException {
    return (int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
  }

  static Object attribute(Path path, String name) throws IOException {
    return Files.getAttribute(path, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void extractsEveryEntryType() throws IOException {
    assumeTrue(isRoot(), "devices need root");
    byte[] tar = new TarBuilder()
        .dir("etc", 0755)
        .file("etc/hosts", "127.0.0.1 localhost\n")
        .symlink("etc/localtime", "/usr/share/zoneinfo/UTC")
        .hardlink("etc/hosts.bak", "etc/hosts")
        .add("run/fifo", TarConstants.LF_FIFO, e -> e.setMode(0600), null)
        .add("dev/null", TarConstants.LF_CHR, e -> { e.setMode(0666); e.setDevMajor(1); e.setDevMinor(3); }, null)
        .add("dev/loop0", TarConstants.LF_BLK, e -> { e.setMode(0660); e.setDevMajor(7); e.setDevMinor(0); }, null)
        .tar();

    unpack(tar, ROOT);

    assertThat(layer.resolve("etc")).isDirectory();
    assertThat(layer.resolve("etc/hosts")).hasContent("127.0.0.1 localhost");
    assertThat(Files.readSymbolicLink(layer.resolve("etc/localtime"))).hasToString("/usr/share/zoneinfo/UTC");
    assertThat(attribute(layer.resolve("etc/hosts.bak"), "ino")).isEqualTo(attribute(layer.resolve("etc/hosts"), "ino"));
    assertThat(attribute(layer.resolve("etc/hosts"), "nlink")).isEqualTo(2);
    assertThat(mode(layer.resolve("run/fifo"))).isEqualTo(Posix.S_IFIFO | 0600);
    assertThat(mode(layer.resolve("dev/null"))).isEqualTo(Posix.S_IFCHR | 0666);
    assertThat(attribute(layer.resolve("dev/null"), "rdev")).isEqualTo(Posix.device(1, 3));
    assertThat(mode(layer.resolve("dev/loop0"))).isEqualTo(Posix.S_IFBLK | 0660);
    assertThat(attribute(layer.resolve("dev/loop0"), "rdev")).isEqualTo(Posix.device(7, 0));
    assertThat(mode(layer.resolve("run"))).as("implicit parent").isEqualTo(Posix.S_IFDIR | 0755);
  }

  @Test
  void storesSymlinkTargetsVerbatimWithoutFollowingThem() throws IOException {
    byte[] tar = new TarBuilder()
        .symlink("dangling", "does/not//exist/")
        .symlink("up", "../../../../etc/passwd")
        .tar();

    unpack(tar, ROOT);

    assertThat(Files.readSymbolicLink(layer.resolve("dangling")).toString()).isEqualTo("does/not//exist/");
    assertThat(Files.readSymbolicLink(layer.resolve("up")).toString()).isEqualTo("../../../../etc/passwd");
  }

  @Test
  void skipsDevicesWhenUnprivilegedButKeepsTheRest() throws IOException {
    byte[] tar = new TarBuilder()
        .add("dev/null", TarConstants.LF_CHR, e -> { e.setMode(0666); e.setDevMajor(1); e.setDevMinor(3); }, null)
        .add("dev/fifo", TarConstants.LF_FIFO, e -> e.setMode(0644), null)
        .file("dev/after", "still here")
        .tar();

    unpack(tar, ROOTLESS);

    assertThat(layer.resolve("dev/null")).doesNotExist();
    assertThat(mode(layer.resolve("dev/fifo"))).isEqualTo(Posix.S_IFIFO | 0644);
    assertThat(layer.resolve("dev/after")).hasContent("still here");
  }

  @Test
  void setsAllModeBitsIncludingSetuidSetgidStickyAndNone() throws IOException {
    byte[] tar = new TarBuilder()
        .file("setuid", "x", 04755)
        .file("setgid", "x", 02711)
        .file("nothing", "x", 0)
        .dir("sticky", 01777)
        .dir("locked", 0)
        .file("locked/inside", "x", 0400)
        .tar();

    unpack(tar, ROOT);

    assertThat(mode(layer.resolve("setuid"))).isEqualTo(Posix.S_IFREG | 04755);
    assertThat(mode(layer.resolve("setgid"))).isEqualTo(Posix.S_IFREG | 02711);
    assertThat(mode(layer.resolve("nothing"))).isEqualTo(Posix.S_IFREG);
    assertThat(mode(layer.resolve("sticky"))).isEqualTo(Posix.S_IFDIR | 01777);
    assertThat(mode(layer.resolve("locked"))).isEqualTo(Posix.S_IFDIR);
    assertThat(mode(layer.resolve("locked/inside"))).isEqualTo(Posix.S_IFREG | 0400);
  }

  @Test
  void keepsSetuidBitsOfFilesItChowns() throws IOException {
    assumeTrue(isRoot(), "chown needs root");
    byte[] tar = new TarBuilder()
        .add("usr/bin/su", TarConstants.LF_NORMAL, e -> { e.setMode(06755); e.setIds(0, 42); }, new byte[] {1})
        .tar();

    unpack(tar, ROOT);

    assertThat(mode(layer.resolve("usr/bin/su"))).isEqualTo(Posix.S_IFREG | 06755);
    assertThat(attribute(layer.resolve("usr/bin/su"), "gid")).isEqualTo(42);
  }

  @Test
  void setsNumericOwnersWhenPrivileged() throws IOException {
    assumeTrue(isRoot(), "chown needs root");
    byte[] tar = new TarBuilder()
        .add("srv", TarConstants.LF_DIR, e -> { e.setMode(0750); e.setIds(1234, 5678); }, null)
        .add("srv/data", TarConstants.LF_NORMAL, e -> {
          e.setIds(70000, 80000);
          e.setUserName("somebody-else");
        }, new byte[] {1})
        .add("srv/link", TarConstants.LF_SYMLINK, e -> { e.setLinkName("data"); e.setIds(7, 8); }, null)
        .tar();

    unpack(tar, ROOT);

    assertThat(attribute(layer.resolve("srv"), "uid")).isEqualTo(1234);
    assertThat(attribute(layer.resolve("srv"), "gid")).isEqualTo(5678);
    assertThat(attribute(layer.resolve("srv/data"), "uid")).isEqualTo(70000);
    assertThat(attribute(layer.resolve("srv/data"), "gid")).isEqualTo(80000);
    assertThat(attribute(layer.resolve("srv/link"), "uid")).isEqualTo(7);
    assertThat(attribute(layer.resolve("srv/link"), "gid")).isEqualTo(8);
  }

  @Test
  void leavesOwnersAloneWhenUnprivileged() throws IOException {
    byte[] tar = new TarBuilder()
        .add("data", TarConstants.LF_NORMAL, e -> e.setIds(1234, 5678), new byte[] {1})
        .tar();

    unpack(tar, ROOTLESS);

    assertThat(attribute(layer.resolve("data"), "uid")).isEqualTo(attribute(tmp, "uid"));
  }

  @Test
  void setsModificationTimesOfFilesDirectoriesAndSymlinks() throws IOException {
    FileTime fileTime = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));
    FileTime dirTime = FileTime.from(Instant.parse("1999-12-31T23:59:59Z"));
    FileTime linkTime = FileTime.from(Instant.parse("2010-10-10T10:10:10Z"));
    FileTime nanoTime = FileTime.from(Instant.parse("2020-01-01T00:00:00.123456789Z"));
    byte[] tar = new TarBuilder()
        .add("dir", TarConstants.LF_DIR, e -> e.setModTime(dirTime), null)
        .add("dir/file", TarConstants.LF_NORMAL, e -> e.setModTime(fileTime), new byte[] {1})
        .add("dir/link", TarConstants.LF_SYMLINK, e -> { e.setModTime(linkTime); e.setLinkName("file"); }, null)
        .paxHeader(TarBuilder.paxRecord("mtime", "1577836800.123456789".getBytes(StandardCharsets.US_ASCII)))
        .file("dir/precise", "written with nanoseconds, which Commons Compress would round to 100 ns")
        .tar();

    unpack(tar, ROOT);

    assertThat(Files.getLastModifiedTime(layer.resolve("dir/file"))).isEqualTo(fileTime);
    assertThat(Files.getLastModifiedTime(layer.resolve("dir/link"), LinkOption.NOFOLLOW_LINKS)).isEqualTo(linkTime);
    assertThat(Files.getLastModifiedTime(layer.resolve("dir/precise"))).isEqualTo(nanoTime);
    assertThat(Files.getLastModifiedTime(layer.resolve("dir"))).as("set after its children").isEqualTo(dirTime);
  }

  @Test
  void setsXattrsIncludingBinaryValues() throws IOException {
    byte[] binary = {0, 1, (byte) 0x80, (byte) 0xff, (byte) 0xc3, 0x28, '\n', '='};
    byte[] tar = new TarBuilder()
        .add("text", TarConstants.LF_NORMAL, e -> e.addPaxHeader("SCHILY.xattr.user.comment", "héllo"), null)
        .paxHeader(TarBuilder.paxRecord("SCHILY.xattr.user.binary", binary))
        .file("binary", "x")
        .file("plain", "no xattrs here")
        .tar();

    unpack(tar, ROOTLESS);

    assertThat(userXattr(layer.resolve("text"), "comment")).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
    assertThat(userXattr(layer.resolve("binary"), "binary")).isEqualTo(binary);
    assertThat(Posix.listXattrs(layer.resolve("plain"))).isEmpty();
  }

  @Test
  void keepsFileCapabilitiesThatCommonsCompressAloneWouldMangle() throws IOException {
    assumeTrue(isRoot(), "security.capability needs root");
    // VFS_CAP_REVISION_2 with the effective flag; permitted = cap_setuid (bit 7), whose byte 0x80 is not UTF-8.
    byte[] capability = new byte[20];
    ByteBuffer.wrap(capability).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0x02000001).putInt(0x80);
    byte[] tar = new TarBuilder()
        .paxHeader(TarBuilder.paxRecord("SCHILY.xattr.security.capability", capability))
        .file("usr/bin/tool", "binary", 0755)
        .tar();

    unpack(tar, ROOT);

    assertThat(Posix.getXattr(layer.resolve("usr/bin/tool"), "security.capability")).isEqualTo(capability);
  }

  @Test
  void ignoresOverlayXattrsThatALayerCarries() throws IOException {
    byte[] tar = new TarBuilder()
        .add("dir", TarConstants.LF_DIR, e -> e.addPaxHeader("SCHILY.xattr.user.overlay.opaque", "y"), null)
        .tar();

    unpack(tar, ROOTLESS);

    assertThat(Posix.getXattr(layer.resolve("dir"), "user.overlay.opaque")).isNull();
  }

  @Test
  void createsHardlinksWithinTheLayerAndReportsThoseIntoLowerLayers() throws IOException {
    byte[] tar = new TarBuilder()
        .file("bin/busybox", "multi-call")
        .hardlink("bin/sh", "bin/busybox")
        .hardlink("./bin/ls", "/bin/busybox")
        .hardlink("usr/bin/perl5.36", "usr/bin/perl")
        .hardlink("bin/vi", "bin/vim.basic")
        .tar();

    UnpackedLayer result = unpack(tar, ROOT);

    Object inode = attribute(layer.resolve("bin/busybox"), "ino");
    assertThat(attribute(layer.resolve("bin/sh"), "ino")).isEqualTo(inode);
    assertThat(attribute(layer.resolve("bin/ls"), "ino")).isEqualTo(inode);
    assertThat(result.crossLayerLinks()).containsExactly(
        new CrossLayerLink("usr/bin/perl5.36", "usr/bin/perl"), new CrossLayerLink("bin/vi", "bin/vim.basic"));
    assertThat(layer.resolve("usr/bin/perl5.36")).doesNotExist();
    assertThat(layer.resolve("bin/vi")).doesNotExist();
  }

  @Test
  void laterEntriesReplaceEarlierOnesButADirectoryOverADirectoryKeepsItsContents() throws IOException {
    byte[] tar = new TarBuilder()
        .file("a", "first")
        .file("a", "second")
        .dir("b", 0700)
        .file("b/keep", "kept")
        .dir("b", 0755)
        .dir("c", 0755)
        .file("c/gone", "x")
        .file("c", "a file now")
        .file("d", "a file first")
        .dir("d", 0755)
        .file("e", "target")
        .symlink("e", "elsewhere")
        .tar();

    unpack(tar, ROOT);

    assertThat(layer.resolve("a")).hasContent("second");
    assertThat(layer.resolve("b/keep")).hasContent("kept");
    assertThat(mode(layer.resolve("b"))).isEqualTo(Posix.S_IFDIR | 0755);
    assertThat(layer.resolve("c")).isRegularFile().hasContent("a file now");
    assertThat(layer.resolve("d")).isDirectory();
    assertThat(Files.readSymbolicLink(layer.resolve("e"))).hasToString("elsewhere");
  }

  @Test
  void takesNamesRelativeToTheRootWhateverTheirPrefix() throws IOException {
    byte[] tar = new TarBuilder()
        .dir("./", 0751)
        .file("/absolute", "a")
        .file("./dotted", "b")
        .file("//double/./slashes", "c")
        .file("sub/../resolved", "d")
        .tar();

    unpack(tar, ROOT);

    assertThat(layer.resolve("absolute")).hasContent("a");
    assertThat(layer.resolve("dotted")).hasContent("b");
    assertThat(layer.resolve("double/slashes")).hasContent("c");
    assertThat(layer.resolve("resolved")).hasContent("d");
    assertThat(mode(layer)).isEqualTo(Posix.S_IFDIR | 0751);
  }

  @Test
  void writesWhiteoutsAsOverlayWhiteoutsAndOpaqueDirectoriesWithTrustedXattrs() throws IOException {
    assumeTrue(isRoot(), "trusted.* xattrs need root");
    unpack(whiteoutLayer(), ROOT);

    assertWhiteout(layer.resolve("etc/removed"));
    assertWhiteout(layer.resolve("top-level"));
    assertThat(Posix.getXattr(layer.resolve("var/cache"), "trusted.overlay.opaque")).isEqualTo(new byte[] {'y'});
    assertThat(Posix.getXattr(layer.resolve("var/cache"), "user.overlay.opaque")).isNull();
    assertThat(layer.resolve("var/cache/fresh")).hasContent("new");
    assertThat(layer.resolve("etc/kept")).as("this layer's own file outlives its whiteout").hasContent("mine");
    assertThat(layer.resolve("etc/.wh.removed")).doesNotExist();
    assertThat(layer.resolve("var/cache/.wh..wh..opq")).doesNotExist();
    assertThat(layer.resolve("replaced")).hasContent("a later entry wins over the whiteout");
  }

  @Test
  void writesOpaqueDirectoriesWithUserXattrsWhenRootless() throws IOException {
    unpack(whiteoutLayer(), ROOTLESS);

    assertWhiteout(layer.resolve("etc/removed"));
    assertThat(userXattr(layer.resolve("var/cache"), "overlay.opaque")).isEqualTo(new byte[] {'y'});
    assertThat(layer.resolve("var/cache/fresh")).hasContent("new");
  }

  static byte[] whiteoutLayer() {
    return new TarBuilder()
        .dir("etc", 0755)
        .file("etc/.wh.removed", "")
        .file("etc/kept", "mine")
        .file("etc/.wh.kept", "")
        .file(".wh.top-level", "")
        .dir("var/cache", 0755)
        .file("var/cache/.wh..wh..opq", "")
        .file("var/cache/fresh", "new")
        .file(".wh.replaced", "")
        .file("replaced", "a later entry wins over the whiteout")
        .tar();
  }

  static void assertWhiteout(Path path) throws IOException {
    assertThat(mode(path) & Posix.S_IFMT).as("%s is a character device", path).isEqualTo(Posix.S_IFCHR);
    assertThat(attribute(path, "rdev")).as("%s is device 0/0", path).isEqualTo(0L);
  }

  static byte[] userXattr(Path path, String name) throws IOException {
    UserDefinedFileAttributeView view = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
    ByteBuffer value = ByteBuffer.allocate(view.size(name));
    view.read(name, value);
    return value.array();
  }

  @Test
  void reportsDigestsAndSizesOfTheBlobAndOfTheTarForEveryCompression() throws IOException {
    byte[] tar = new TarBuilder().file("hello", "world").dir("d", 0755).tar();
    for (Compression compression : Compression.values()) {
      byte[] blob = switch (compression) {
        case GZIP -> TarBuilder.gzip(tar);
        case ZSTD -> TarBuilder.zstd(tar);
        case NONE -> tar;
      };
      Path dir = Files.createDirectory(tmp.resolve(compression.name()));

      UnpackedLayer result = new LayerUnpacker(ROOT).unpack(new ByteArrayInputStream(blob), dir, WHAT);

      assertThat(result.compression()).isEqualTo(compression);
      assertThat(result.blobDigest()).isEqualTo(Digest.sha256Of(blob));
      assertThat(result.blobSize()).isEqualTo(blob.length);
      assertThat(result.diffId()).isEqualTo(Digest.sha256Of(tar));
      assertThat(result.size()).isEqualTo(tar.length);
      assertThat(dir.resolve("hello")).hasContent("world");
    }
  }

  @Test
  void readsTheBlobToItsVeryEndEvenPastTheTarAndGzipEnds() throws IOException {
    byte[] tar = new TarBuilder().file("hello", "world").tar();
    byte[] tarWithTrailer = Arrays.copyOf(tar, tar.length + 4096);
    byte[] blob = TarBuilder.gzip(tarWithTrailer);
    byte[] blobWithGarbage = Arrays.copyOf(blob, blob.length + 3);

    UnpackedLayer result = unpack(blobWithGarbage, ROOT);

    assertThat(result.diffId()).isEqualTo(Digest.sha256Of(tarWithTrailer));
    assertThat(result.blobDigest()).isEqualTo(Digest.sha256Of(blobWithGarbage));
  }

  @Test
  void readsEveryMemberOfAMultiMemberGzipEvenWhenTheNextMemberIsNotYetAvailable() throws IOException {
    byte[] tar = new TarBuilder().file("first", "1").file("second", "2").file("third", "3").tar();
    int split = 1536; // within the second entry
    byte[] first = TarBuilder.gzip(Arrays.copyOfRange(tar, 0, split));
    byte[] second = TarBuilder.gzip(Arrays.copyOfRange(tar, split, tar.length));
    byte[] blob = ByteBuffer.allocate(first.length + second.length).put(first).put(second).array();

    UnpackedLayer result = new LayerUnpacker(ROOT).unpack(new NetworkLikeInputStream(first, second), layer, WHAT);

    assertThat(layer.resolve("third")).hasContent("3");
    assertThat(result.diffId()).isEqualTo(Digest.sha256Of(tar));
    assertThat(result.blobDigest()).isEqualTo(Digest.sha256Of(blob));
  }

  /** Delivers its parts in separate reads, like packets, and never has anything available without blocking. */
  static final class NetworkLikeInputStream extends SequenceInputStream {
    NetworkLikeInputStream(byte[] first, byte[] second) {
      super(new ByteArrayInputStream(first), new ByteArrayInputStream(second));
    }

    @Override
    public int available() {
      return 0;
    }
  }

  @Test
  void refusesATruncatedGzipOrZstdWithAClearMessage() throws IOException {
    byte[] random = new byte[300_000];
    new java.util.Random(1).nextBytes(random);
    byte[] tar = new TarBuilder().add("big", TarConstants.LF_NORMAL, e -> {}, random).tar();
    for (byte[] blob : List.of(TarBuilder.gzip(tar), TarBuilder.zstd(tar))) {
      byte[] truncated = Arrays.copyOf(blob, blob.length / 2);
      Path dir = Files.createTempDirectory(tmp, "truncated");

      assertThatThrownBy(() -> new LayerUnpacker(ROOT).unpack(new ByteArrayInputStream(truncated), dir, WHAT))
          .isInstanceOf(LayerException.class)
          .hasMessageContaining(WHAT)
          .hasMessageContaining("corrupt or truncated")
          .hasMessageContaining("Pull it again");
    }
  }

  @Test
  void refusesAGzipWithAWrongChecksumAfterTheTar() {
    byte[] blob = TarBuilder.gzip(new TarBuilder().file("data", "content").tar());
    blob[blob.length - 8] ^= 1; // the CRC-32 in the gzip trailer

    assertThatThrownBy(() -> unpack(blob, ROOT))
        .isInstanceOf(LayerException.class)
        .hasMessageContaining(WHAT)
        .hasMessageContaining("corrupt or truncated")
        .hasMessageContaining("Pull it again");
  }

  @Test
  void refusesACorruptGzip() {
    byte[] blob = TarBuilder.gzip(new TarBuilder().file("data", "some content to compress").tar());
    for (int i = 12; i < blob.length - 8; i++) {
      blob[i] ^= 0x5a;
    }

    assertThatThrownBy(() -> unpack(blob, ROOT))
        .isInstanceOf(LayerException.class)
        .hasMessageContaining(WHAT)
        .hasMessageContaining("corrupt or truncated");
  }

  @Test
  void refusesATruncatedTarNamingTheEntry() {
    byte[] tar = new TarBuilder().file("cut/short", "z".repeat(5000)).tar();

    assertThatThrownBy(() -> unpack(Arrays.copyOf(tar, 2048), ROOT))
        .isInstanceOf(LayerException.class)
        .hasMessageContaining(WHAT)
        .hasMessageContaining("cut/short");
  }

  @Test
  void letsFailuresOfTheSourceThroughAsTheyAre() {
    byte[] blob = TarBuilder.gzip(new TarBuilder().file("data", "x".repeat(200_000)).tar());
    IOException networkDown = new IOException("connection reset");
    InputStream failing = new FilterInputStream(new ByteArrayInputStream(blob, 0, 100)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
          throw networkDown;
        }
        return n;
      }
    };

    assertThatThrownBy(() -> new LayerUnpacker(ROOT).unpack(failing, layer, WHAT))
        .isSameAs(networkDown);
  }

  @Test
  void stopsReadingTheBlobWhenItRefusesAnEntry() throws IOException {
    byte[] noise = new byte[8 * 1024 * 1024];
    new java.util.Random(7).nextBytes(noise);
    byte[] tar = new TarBuilder()
        .file("../escape", "x")
        .add("noise", TarConstants.LF_NORMAL, e -> {}, noise)
        .tar();
    CountingInputStream blob = new CountingInputStream(tar);

    assertThatThrownBy(() -> new LayerUnpacker(ROOT).unpack(blob, layer, WHAT)).isInstanceOf(LayerException.class);

    assertThat(Thread.getAllStackTraces().keySet())
        .as("unpacking threads left running")
        .noneMatch(t -> t.getName().startsWith("skiff-unpack"));
    assertThat(blob.count).isLessThan(tar.length / 2);
  }

  static final class CountingInputStream extends FilterInputStream {
    volatile long count;

    CountingInputStream(byte[] data) {
      super(new ByteArrayInputStream(data));
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count += Math.max(n, 0);
      return n;
    }
  }

  @Test
  void namesTheLayerAndTheEntryWhenWritingFails() {
    String tooLong = "x".repeat(300); // more than a file name may have
    byte[] tar = new TarBuilder().file(tooLong, "content").tar();

    assertThatThrownBy(() -> unpack(tar, ROOT))
        .isNotInstanceOf(LayerException.class)
        .isInstanceOf(IOException.class)
        .hasMessageContaining(WHAT)
        .hasMessageContaining("cannot write entry '" + tooLong + "'")
        .hasMessageContaining("File name too long");
  }

  @Test
  void unpacksFileContentOfEverySize() throws IOException {
    java.util.Random random = new java.util.Random(42);
    // Around the tar's 512-byte records and the 256 KiB copy buffer.
    int[] sizes = {1, 511, 512, 513, 256 * 1024, 256 * 1024 + 1, 3 * 1024 * 1024 + 17};
    TarBuilder builder = new TarBuilder().file("empty", "");
    byte[][] contents = new byte[sizes.length][];
    for (int i = 0; i < sizes.length; i++) {
      contents[i] = new byte[sizes[i]];
      random.nextBytes(contents[i]);
      builder.add("size" + sizes[i], TarConstants.LF_NORMAL, e -> {}, contents[i]);
    }

    unpack(TarBuilder.zstd(builder.tar()), ROOT);

    assertThat(layer.resolve("empty")).isEmptyFile();
    for (int i = 0; i < sizes.length; i++) {
      assertThat(Files.readAllBytes(layer.resolve("size" + sizes[i]))).as("size " + sizes[i]).isEqualTo(contents[i]);
    }
  }

  @Test
  void unpacksLongAndNonAsciiNames() throws IOException {
    String longName = "d".repeat(120) + "/" + "Főtanúsítvány-".repeat(10) + ".crt";
    byte[] tar = new TarBuilder().file(longName, "cert").tar();

    unpack(tar, ROOT);

    assertThat(layer.resolve(longName)).hasContent("cert");
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files).containsExactly(layer);
    }
  }

  /** umask(2), which the engine itself never calls. Public only because jnr-ffi implements it. */
  public interface Umask {
    int umask(int mask);
  }

  @Test
  void setsExactModesWhateverTheUmask() throws IOException {
    Umask libc = jnr.ffi.LibraryLoader.create(Umask.class).load("c");
    byte[] tar = new TarBuilder()
        .file("rwx", "x", 0755)
        .file("rw", "x", 0644)
        .file("all", "x", 0777)
        .dir("dir", 0755)
        .file("implicit/file", "x", 0600)
        .symlink("link", "rwx")
        .tar();

    int previous = libc.umask(077);
    try {
      unpack(tar, isRoot() ? ROOT : ROOTLESS);
    } finally {
      libc.umask(previous);
    }

    assertThat(mode(layer.resolve("rwx"))).isEqualTo(Posix.S_IFREG | 0755);
    assertThat(mode(layer.resolve("rw"))).isEqualTo(Posix.S_IFREG | 0644);
    assertThat(mode(layer.resolve("all"))).isEqualTo(Posix.S_IFREG | 0777);
    assertThat(mode(layer.resolve("dir"))).isEqualTo(Posix.S_IFDIR | 0755);
    assertThat(mode(layer.resolve("implicit"))).as("as Docker makes missing parents").isEqualTo(Posix.S_IFDIR | 0755);
    assertThat(mode(layer.resolve("implicit/file"))).isEqualTo(Posix.S_IFREG | 0600);
  }

  @Test
  void setsTheRecordedGroupEvenWhereNewFilesWouldTakeTheRootsGroup() throws IOException {
    assumeTrue(isRoot(), "chown needs root");
    Posix.lchown(layer, 0, 4321);
    Posix.chmod(layer, 02755); // setgid: what is created below takes group 4321, and directories the setgid bit
    byte[] tar = new TarBuilder()
        .dir("dir", 0755)
        .file("dir/file", "x", 0644)
        .file("implicit/file", "x", 0644)
        .symlink("link", "dir")
        .tar();

    unpack(tar, ROOT);

    for (String path : List.of("dir", "dir/file", "implicit/file", "link")) {
      assertThat(attribute(layer.resolve(path), "gid")).as(path).isEqualTo(0);
    }
    assertThat(mode(layer.resolve("dir"))).isEqualTo(Posix.S_IFDIR | 0755);
    assertThat(mode(layer.resolve("implicit"))).isEqualTo(Posix.S_IFDIR | 0755);
    assertThat(mode(layer.resolve("dir/file"))).isEqualTo(Posix.S_IFREG | 0644);
  }
}
