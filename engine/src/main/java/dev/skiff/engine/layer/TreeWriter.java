package dev.skiff.engine.layer;

import dev.skiff.engine.fs.TreeDeleter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes files into a directory tree the way a layer is laid down: something new at a path replaces what was
 * there, metadata is set in the order the kernel requires, and directory modes and times wait until the end.
 */
final class TreeWriter {
  private static final Logger LOG = LoggerFactory.getLogger(TreeWriter.class);

  /** Creates one file system object, throwing FileAlreadyExistsException if the path is taken. */
  interface Creation<T> {
    T create() throws IOException;
  }

  private final Path root;
  private final RealDirectories dirs;
  private final DirectoryAttributes directoryAttributes = new DirectoryAttributes();
  private final boolean privileged;
  private final String what;
  /** Unprivileged: the owners that could not be set, by relative path; only the entries that end up on disk. */
  private final NavigableMap<String, FileOwner> foreignOwners = new TreeMap<>();

  /**
   * @param privileged whether to set owners
   * @param what names what is written, for log messages
   */
  TreeWriter(Path root, boolean privileged, String what) {
    this.root = root;
    this.dirs = new RealDirectories(root);
    this.privileged = privileged;
    this.what = what;
  }

  /** The directories known to be real under the root. */
  RealDirectories dirs() {
    return dirs;
  }

  /** Runs {@code creation}; if something is already at the path, removes it (the newer wins) and runs it again. */
  <T> T replacing(String path, Path file, Creation<T> creation) throws IOException {
    try {
      return creation.create();
    } catch (FileAlreadyExistsException e) {
      remove(path, file);
      return creation.create();
    }
  }

  /**
   * Makes {@code path} a real directory. One already there is kept with its contents, unless {@code empty} is
   * asked for; anything else there is replaced.
   */
  void createDirectory(String path, Path dir, boolean empty) throws IOException {
    if (path.isEmpty()) {
      if (empty) {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
          for (Path child : children) {
            remove(child.getFileName().toString(), child);
          }
        }
      }
      return;
    }
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      if (empty || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        remove(path, dir);
        Files.createDirectory(dir);
      }
    }
    dirs.add(path);
  }

  /** Removes {@code file} at relative {@code path}, with everything below it. */
  void remove(String path, Path file) throws IOException {
    foreignOwners.remove(path);
    if (TreeDeleter.delete(file)) {
      dirs.forget(path);
      directoryAttributes.forget(path);
      foreignOwners.subMap(path + "/", path + "/\uffff").clear();
    }
  }

  /** Entries whose owner is not root and was not set (unprivileged), in path order. */
  List<FileOwner> foreignOwners() {
    return List.copyOf(foreignOwners.values());
  }

  /** Owner, mode (unless a symlink, which has none), xattrs, then times: chown clears setuid bits and capabilities. */
  void setAttributes(Path file, Metadata metadata, boolean isSymlink) throws IOException {
    setOwnerAndXattrs(file, metadata, !isSymlink);
    Posix.setTimes(file, metadata.accessed(), metadata.modified());
  }

  /** Owner and xattrs now; mode and times once the directory's contents are written ({@link #finish()}). */
  void setDirectoryAttributes(String path, Path dir, Metadata metadata) throws IOException {
    setOwnerAndXattrs(dir, metadata, false);
    directoryAttributes.defer(path, dir, metadata.mode(), metadata.accessed(), metadata.modified());
  }

  /** Sets the deferred directory modes and times. */
  void finish() throws IOException {
    directoryAttributes.applyAll();
  }

  private void setOwnerAndXattrs(Path file, Metadata metadata, boolean setMode) throws IOException {
    if (privileged) {
      Posix.lchown(file, metadata.uid(), metadata.gid());
    } else {
      String path = root.relativize(file).toString();
      if (metadata.uid() != 0 || metadata.gid() != 0) {
        foreignOwners.put(path, new FileOwner(path, metadata.uid(), metadata.gid(), metadata.mode()));
      } else {
        foreignOwners.remove(path);
      }
    }
    if (setMode) {
      Posix.chmod(file, metadata.mode());
    }
    for (Map.Entry<String, byte[]> xattr : metadata.xattrs().entrySet()) {
      String name = xattr.getKey();
      if (WhiteoutFormat.isOverlayXattr(name)) {
        // Overlay reads these as whiteouts, redirects and the like; a layer may say that with .wh. entries only.
        LOG.warn("Ignoring xattr {} of {} ({}): overlayfs' own attributes may not come from a layer", name, file,
            what);
      } else if (!Posix.setXattr(file, name, xattr.getValue())) {
        LOG.debug("Skipping xattr {} of {} ({}): not permitted or not supported here", name, file, what);
      }
    }
  }
}
