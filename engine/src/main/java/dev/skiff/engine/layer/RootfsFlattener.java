package dev.skiff.engine.layer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies stacked layer directories into one plain directory, as an overlay mount of them would show it: upper
 * layers win, overlay whiteouts delete what lies below, opaque directories hide the lower contents of their
 * directory. The fallback where overlayfs cannot be mounted, and the reference the overlay is compared with.
 *
 * <p>Keeps modes (setuid, setgid and sticky included), owners when running as real root, times, xattrs, symlinks
 * (verbatim), FIFOs, devices (when root) and hardlinks within a layer. Opaque markers in either format ({@code
 * trusted.overlay.opaque} or {@code user.overlay.opaque}) are honoured and not copied.
 */
public final class RootfsFlattener {
  private static final Logger LOG = LoggerFactory.getLogger(RootfsFlattener.class);
  private static final String ATTRIBUTES = "unix:mode,uid,gid,rdev,dev,ino,nlink,lastAccessTime,lastModifiedTime";
  private static final byte[] OPAQUE = {'y'};

  private RootfsFlattener() {}

  /**
   * Flattens {@code layerDirsBottomToTop} (as written by {@link LayerUnpacker}) into {@code target}.
   *
   * @param target an empty directory, created if missing
   */
  public static void flatten(List<Path> layerDirsBottomToTop, Path target) throws IOException {
    Files.createDirectories(target);
    boolean privileged = UnpackOptions.forCurrentUser().privileged();
    TreeWriter tree = new TreeWriter(target, privileged, "flattening into " + target);
    for (Path layer : layerDirsBottomToTop) {
      new LayerCopy(layer, tree, privileged)
          .copyDirectory("", layer, Files.readAttributes(layer, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS));
    }
    tree.finish();
  }

  /** Copies one layer on top of what the tree holds so far. */
  private static final class LayerCopy {
    private final Path layer;
    private final TreeWriter tree;
    private final boolean privileged;
    // First copy of each multiply-linked inode of this layer, so its other names become hardlinks again.
    private final Map<String, Path> copiedInodes = new HashMap<>();

    LayerCopy(Path layer, TreeWriter tree, boolean privileged) {
      this.layer = layer;
      this.tree = tree;
      this.privileged = privileged;
    }

    void copyDirectory(String path, Path source, Map<String, Object> attributes) throws IOException {
      Map<String, byte[]> xattrs = xattrs(source);
      Path dir = tree.dirs().resolve(path);
      tree.createDirectory(path, dir, isOpaque(xattrs));
      tree.setDirectoryAttributes(path, dir, metadata(attributes, xattrs));
      try (DirectoryStream<Path> children = Files.newDirectoryStream(source)) {
        for (Path child : children) {
          String name = child.getFileName().toString();
          copy(path.isEmpty() ? name : path + "/" + name, child);
        }
      }
    }

    private void copy(String path, Path source) throws IOException {
      Map<String, Object> attributes = Files.readAttributes(source, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      int mode = (int) attributes.get("mode");
      int type = mode & Posix.S_IFMT;
      long device = (long) attributes.get("rdev");
      Path file = tree.dirs().resolve(path);
      if (type == Posix.S_IFDIR) {
        copyDirectory(path, source, attributes);
        return;
      }
      if (type == Posix.S_IFCHR && device == 0) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
          tree.remove(path, file); // a whiteout: what lies below is gone
        }
        return;
      }
      String inode = (int) attributes.get("nlink") > 1 ? attributes.get("dev") + ":" + attributes.get("ino") : null;
      Path firstCopy = inode == null ? null : copiedInodes.get(inode);
      if (firstCopy != null) {
        tree.replacing(path, file, () -> Files.createLink(file, firstCopy));
        return;
      }
      switch (type) {
        case Posix.S_IFREG -> tree.replacing(path, file, () -> copyContent(source, file));
        case Posix.S_IFLNK -> tree.replacing(path, file, () -> {
          Posix.symlink(Files.readSymbolicLink(source).toString(), file);
          return file;
        });
        case Posix.S_IFIFO, Posix.S_IFCHR, Posix.S_IFBLK -> {
          if (type != Posix.S_IFIFO && !privileged) {
            LOG.warn("Skipping device {} of layer {}: creating devices needs root", path, layer);
            return;
          }
          tree.replacing(path, file, () -> {
            Posix.mknod(file, mode, device);
            return file;
          });
        }
        default -> {
          LOG.warn("Skipping {} of layer {}: sockets are not copied", path, layer);
          return;
        }
      }
      if (inode != null) {
        copiedInodes.put(inode, file);
      }
      tree.setAttributes(file, metadata(attributes, xattrs(source)), type == Posix.S_IFLNK);
    }

    private static Path copyContent(Path source, Path target) throws IOException {
      try (FileChannel in = FileChannel.open(source);
          FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        long size = in.size();
        for (long done = 0; done < size; ) {
          done += in.transferTo(done, size - done, out);
        }
      }
      return target;
    }

    private static boolean isOpaque(Map<String, byte[]> xattrs) {
      for (WhiteoutFormat format : WhiteoutFormat.values()) {
        byte[] value = xattrs.get(format.opaqueXattr());
        if (value != null && Arrays.equals(value, OPAQUE)) {
          return true;
        }
      }
      return false;
    }

    private static Map<String, byte[]> xattrs(Path file) throws IOException {
      List<String> names = Posix.listXattrs(file);
      if (names.isEmpty()) {
        return Map.of();
      }
      Map<String, byte[]> xattrs = new LinkedHashMap<>();
      for (String name : names) {
        byte[] value = Posix.getXattr(file, name);
        if (value != null) {
          xattrs.put(name, value);
        }
      }
      return xattrs;
    }

    private static Metadata metadata(Map<String, Object> attributes, Map<String, byte[]> xattrs) {
      Map<String, byte[]> copied = new LinkedHashMap<>(xattrs);
      copied.keySet().removeIf(WhiteoutFormat::isOverlayXattr);
      return new Metadata(
          (int) attributes.get("uid"),
          (int) attributes.get("gid"),
          (int) attributes.get("mode"),
          (FileTime) attributes.get("lastAccessTime"),
          (FileTime) attributes.get("lastModifiedTime"),
          copied);
    }
  }
}
