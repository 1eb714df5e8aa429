package dev.skiff.engine.layer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the entries of one layer's tar into an empty directory, in overlayfs' format. */
final class TarExtractor {
  private static final Logger LOG = LoggerFactory.getLogger(TarExtractor.class);
  private static final String WHITEOUT_PREFIX = ".wh.";
  private static final String OPAQUE_MARKER = ".wh..wh..opq";
  private static final String AUFS_METADATA_PREFIX = ".wh..wh.";
  private static final byte[] OPAQUE_VALUE = "y".getBytes(StandardCharsets.US_ASCII);
  private static final int BUFFER_SIZE = 256 * 1024;

  private final Path root;
  private final UnpackOptions options;
  private final String what;
  private final TreeWriter tree;
  private final RealDirectories dirs;
  private final List<CrossLayerLink> crossLayerLinks = new ArrayList<>();
  private final byte[] buffer = new byte[BUFFER_SIZE];

  TarExtractor(Path emptyDir, UnpackOptions options, String what) throws IOException {
    this.root = emptyDir;
    this.options = options;
    this.what = what;
    this.tree = new TreeWriter(emptyDir, options.privileged(), what);
    this.dirs = tree.dirs();
  }

  /** Extracts every entry, then sets directory modes and times; returns the hardlinks left to lower layers. */
  List<CrossLayerLink> extractAll(TarReader tar) throws IOException {
    TarArchiveEntry entry;
    while ((entry = tar.getNextEntry()) != null) {
      try {
        extract(entry, tar);
      } catch (UnsafeEntryException e) {
        throw LayerException.refused(what, entry.getName(), e.getMessage());
      } catch (InvalidPathException e) {
        throw new LayerException(
            what + ": entry '" + entry.getName() + "' has a name this JVM cannot use as a file name (file names are"
                + " encoded as " + System.getProperty("sun.jnu.encoding") + "); run Java with a UTF-8 locale,"
                + " e.g. LANG=C.UTF-8",
            e);
      } catch (LayerException e) {
        throw e;
      } catch (IOException e) {
        if (tar.isSourceFailure(e)) {
          throw e;
        }
        throw new IOException(
            what + ": cannot write entry '" + entry.getName() + "': " + e + " (check the free space and permissions"
                + " under " + root + ")",
            e);
      }
    }
    tree.finish();
    return crossLayerLinks;
  }

  /** After {@link #extractAll}: the entries whose owners were not set, see {@link TreeWriter#foreignOwners()}. */
  List<FileOwner> foreignOwners() {
    return tree.foreignOwners();
  }

  private void extract(TarArchiveEntry entry, TarReader tar) throws IOException {
    String path = EntryPath.normalize(entry.getName());
    String name = EntryPath.fileName(path);
    if (name.startsWith(WHITEOUT_PREFIX)) {
      whiteout(path, name);
      return;
    }
    if (path.isEmpty()) {
      if (!entry.isDirectory()) {
        throw new UnsafeEntryException("would replace the layer root with something other than a directory");
      }
      directory(path, dirs.resolve(path), entry, tar);
      return;
    }
    dirs.createParentsOf(path);
    Path file = dirs.resolve(path);
    if (entry.isDirectory()) {
      directory(path, file, entry, tar);
      return;
    }
    switch (entry.getLinkFlag()) {
      case TarConstants.LF_NORMAL, TarConstants.LF_OLDNORM, TarConstants.LF_CONTIG, TarConstants.LF_GNUTYPE_SPARSE ->
          regularFile(path, file, entry, tar);
      case TarConstants.LF_SYMLINK -> {
        tree.replacing(path, file, () -> {
          Posix.symlink(entry.getLinkName(), file);
          return file;
        });
        tree.setAttributes(file, metadata(entry, tar), true);
      }
      case TarConstants.LF_LINK -> hardlink(path, file, entry);
      case TarConstants.LF_FIFO -> node(path, file, entry, tar, Posix.S_IFIFO);
      case TarConstants.LF_CHR, TarConstants.LF_BLK -> {
        if (!options.privileged()) {
          LOG.warn("Skipping device '{}' in {}: creating devices needs root", entry.getName(), what);
          return;
        }
        node(path, file, entry, tar, entry.isCharacterDevice() ? Posix.S_IFCHR : Posix.S_IFBLK);
      }
      default -> LOG.warn(
          "Skipping entry '{}' in {}: tar entry type '{}' is not a file type", entry.getName(), what,
          (char) entry.getLinkFlag());
    }
  }

  private void regularFile(String path, Path file, TarArchiveEntry entry, TarReader tar) throws IOException {
    Metadata metadata = metadata(entry, tar);
    tree.replacing(path, file, () -> {
      tree.writeFile(file, metadata, fd -> {
        int n;
        while ((n = tar.read(buffer, 0, buffer.length)) > 0) {
          Posix.write(fd, buffer, n, file);
        }
      });
      return file;
    });
  }

  private void directory(String path, Path dir, TarArchiveEntry entry, TarReader tar) throws IOException {
    tree.createDirectory(path, dir, false); // a directory over a directory keeps its contents
    tree.setDirectoryAttributes(path, dir, metadata(entry, tar));
  }

  private void hardlink(String path, Path link, TarArchiveEntry entry) throws IOException {
    String target;
    try {
      target = EntryPath.normalize(entry.getLinkName());
      if (target.equals(path)) {
        return; // a link to itself changes nothing
      }
      if (!dirs.parentsExist(target)) {
        crossLayerLinks.add(new CrossLayerLink(path, target));
        return;
      }
    } catch (UnsafeEntryException e) {
      throw new UnsafeEntryException("is a hardlink to '" + entry.getLinkName() + "', which " + e.getMessage());
    }
    Path targetFile = dirs.resolve(target);
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(targetFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      crossLayerLinks.add(new CrossLayerLink(path, target));
      return;
    }
    if (attributes.isDirectory()) {
      throw new UnsafeEntryException("is a hardlink to '" + entry.getLinkName() + "', which is a directory");
    }
    tree.replacing(path, link, () -> Files.createLink(link, targetFile));
  }

  private void node(String path, Path file, TarArchiveEntry entry, TarReader tar, int type) throws IOException {
    tree.replacing(path, file, () -> {
      Posix.mknod(file, type | (entry.getMode() & 07777), Posix.device(entry.getDevMajor(), entry.getDevMinor()));
      return file;
    });
    tree.setAttributes(file, metadata(entry, tar), false);
  }

  /**
   * {@code .wh.NAME} hides NAME of lower layers: an overlay whiteout, a 0/0 character device, takes its place.
   * {@code .wh..wh..opq} hides all lower contents of its directory: the directory is marked opaque.
   */
  private void whiteout(String path, String name) throws IOException {
    dirs.createParentsOf(path);
    String parent = EntryPath.parent(path);
    if (name.equals(OPAQUE_MARKER)) {
      Path dir = dirs.resolve(parent);
      String xattr = options.whiteouts().opaqueXattr();
      if (!Posix.setXattr(dir, xattr, OPAQUE_VALUE)) {
        throw new IOException(
            "Cannot mark " + dir + " opaque for " + what + ": setting the xattr " + xattr + " is not permitted or"
                + " not supported there. Unpack as root, or use WhiteoutFormat.OVERLAY_USER on a file system with"
                + " user xattrs");
      }
      return;
    }
    if (name.startsWith(AUFS_METADATA_PREFIX)) {
      LOG.debug("Ignoring AUFS metadata entry '{}' in {}", path, what);
      return;
    }
    String hidden = name.substring(WHITEOUT_PREFIX.length());
    if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
      throw new UnsafeEntryException("is a whiteout for '" + hidden + "', which is not a file name");
    }
    Path whiteout = dirs.resolve(parent.isEmpty() ? hidden : parent + "/" + hidden);
    try {
      Posix.mknod(whiteout, Posix.S_IFCHR, 0);
    } catch (FileAlreadyExistsException e) {
      // This layer's own entry stays: a whiteout hides only what lower layers have.
    }
  }

  private static Metadata metadata(TarArchiveEntry entry, TarReader tar) {
    FileTime modified = entry.getLastModifiedTime();
    FileTime accessed = entry.getLastAccessTime();
    return new Metadata(
        (int) entry.getLongUserId(),
        (int) entry.getLongGroupId(),
        entry.getMode(),
        accessed != null ? accessed : modified,
        modified,
        tar.xattrs());
  }
}
