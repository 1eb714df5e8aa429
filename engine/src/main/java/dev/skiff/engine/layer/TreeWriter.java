package dev.skiff.engine.layer;

import dev.skiff.engine.fs.TreeDeleter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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

  /**
   * Permission bits of the directories made here: what Docker gives the parents a layer leaves out; those that are
   * entries get their own in {@link #finish()}.
   */
  static final int DIRECTORY_MODE = 0755;

  private static final int UNKNOWN_MODE = -1;
  private static final int SYMLINK = -2;

  /** Creates one file system object, throwing FileAlreadyExistsException if the path is taken. */
  interface Creation<T> {
    T create() throws IOException;
  }

  /** The content of a new regular file. */
  interface Content {
    /** Writes all of it to {@code fd}. */
    void writeTo(int fd) throws IOException;
  }

  private final Path root;
  private final RealDirectories dirs;
  private final DirectoryAttributes directoryAttributes = new DirectoryAttributes();
  private final boolean privileged;
  private final NewFileDefaults defaults;
  private final String what;
  /** Unprivileged: the owners that could not be set, by relative path; only the entries that end up on disk. */
  private final NavigableMap<String, FileOwner> foreignOwners = new TreeMap<>();

  /**
   * @param privileged whether to set owners
   * @param what names what is written, for log messages
   */
  TreeWriter(Path root, boolean privileged, String what) throws IOException {
    this.root = root;
    this.defaults = NewFileDefaults.under(root);
    this.dirs = new RealDirectories(root, defaults);
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
      Posix.mkdir(dir, DIRECTORY_MODE);
    } catch (FileAlreadyExistsException e) {
      if (empty || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        remove(path, dir);
        Posix.mkdir(dir, DIRECTORY_MODE);
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

  /**
   * Creates the regular file {@code file}, which must not exist yet, writes its content and sets its metadata, all
   * through one descriptor: a new file needs no more calls than that.
   */
  void writeFile(Path file, Metadata metadata, Content content) throws IOException {
    int requested = metadata.mode() & 0777; // chown would clear setuid and setgid bits: those come after it
    int fd = Posix.createFile(file, requested);
    try {
      content.writeTo(fd);
      setMetadata(new OpenFile(fd, file), file, metadata, requested);
    } catch (IOException | RuntimeException | Error e) {
      try {
        Posix.close(fd, file);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    Posix.close(fd, file);
  }

  /**
   * Owner, mode (unless a symlink, which has none), xattrs, then times: chown clears setuid bits and capabilities.
   */
  void setAttributes(Path file, Metadata metadata, boolean isSymlink) throws IOException {
    setMetadata(new PathInode(file), file, metadata, isSymlink ? SYMLINK : UNKNOWN_MODE);
  }

  /** Owner and xattrs now; mode and times once the directory's contents are written ({@link #finish()}). */
  void setDirectoryAttributes(String path, Path dir, Metadata metadata) throws IOException {
    PathInode inode = new PathInode(dir);
    setOwner(inode, dir, metadata);
    setXattrs(inode, dir, metadata);
    // Every directory but the root was made here with DIRECTORY_MODE; a chown leaves a directory's mode alone.
    boolean setMode = path.isEmpty() || !defaults.yieldsMode(DIRECTORY_MODE, metadata.mode());
    directoryAttributes.defer(path, dir, setMode ? metadata.mode() : DirectoryAttributes.KEEP_MODE,
        metadata.accessed(), metadata.modified());
  }

  /** Sets the deferred directory modes and times. */
  void finish() throws IOException {
    directoryAttributes.applyAll();
  }

  /**
   * @param createdMode the permission bits the file was created with, {@link #UNKNOWN_MODE}, or {@link #SYMLINK}
   */
  private void setMetadata(Inode inode, Path file, Metadata metadata, int createdMode) throws IOException {
    boolean chowned = setOwner(inode, file, metadata);
    if (createdMode != SYMLINK
        && (createdMode == UNKNOWN_MODE
            || !defaults.yieldsMode(createdMode, metadata.mode())
            || chowned && (metadata.mode() & 06000) != 0)) {
      inode.chmod(metadata.mode());
    }
    setXattrs(inode, file, metadata);
    inode.setTimes(metadata.accessed(), metadata.modified());
  }

  /** Returns whether it called chown. */
  private boolean setOwner(Inode inode, Path file, Metadata metadata) throws IOException {
    if (privileged) {
      if (defaults.yieldsOwner(metadata.uid(), metadata.gid())) {
        return false;
      }
      inode.chown(metadata.uid(), metadata.gid());
      return true;
    }
    String path = root.relativize(file).toString();
    if (metadata.uid() != 0 || metadata.gid() != 0) {
      foreignOwners.put(path, new FileOwner(path, metadata.uid(), metadata.gid(), metadata.mode()));
    } else {
      foreignOwners.remove(path);
    }
    return false;
  }

  private void setXattrs(Inode inode, Path file, Metadata metadata) throws IOException {
    for (Map.Entry<String, byte[]> xattr : metadata.xattrs().entrySet()) {
      String name = xattr.getKey();
      if (WhiteoutFormat.isOverlayXattr(name)) {
        // Overlay reads these as whiteouts, redirects and the like; a layer may say that with .wh. entries only.
        LOG.warn("Ignoring xattr {} of {} ({}): overlayfs' own attributes may not come from a layer", name, file,
            what);
      } else if (!inode.setXattr(name, xattr.getValue())) {
        LOG.debug("Skipping xattr {} of {} ({}): not permitted or not supported here", name, file, what);
      }
    }
  }

  /** The calls that set metadata, made on a path or on an open file. */
  private interface Inode {
    void chown(int uid, int gid) throws IOException;

    void chmod(int mode) throws IOException;

    /** Returns false when the file system or our privileges do not allow this attribute. */
    boolean setXattr(String name, byte[] value) throws IOException;

    void setTimes(FileTime accessed, FileTime modified) throws IOException;
  }

  /** The path itself, never what a symlink there points to (chmod aside: never call it on a symlink). */
  private record PathInode(Path path) implements Inode {
    @Override
    public void chown(int uid, int gid) throws IOException {
      Posix.lchown(path, uid, gid);
    }

    @Override
    public void chmod(int mode) throws IOException {
      Posix.chmod(path, mode);
    }

    @Override
    public boolean setXattr(String name, byte[] value) throws IOException {
      return Posix.setXattr(path, name, value);
    }

    @Override
    public void setTimes(FileTime accessed, FileTime modified) throws IOException {
      Posix.setTimes(path, accessed, modified);
    }
  }

  /** A file open for writing; {@code path} names it in messages. */
  private record OpenFile(int fd, Path path) implements Inode {
    @Override
    public void chown(int uid, int gid) throws IOException {
      Posix.fchown(fd, uid, gid, path);
    }

    @Override
    public void chmod(int mode) throws IOException {
      Posix.fchmod(fd, mode, path);
    }

    @Override
    public boolean setXattr(String name, byte[] value) throws IOException {
      return Posix.setXattr(fd, name, value, path);
    }

    @Override
    public void setTimes(FileTime accessed, FileTime modified) throws IOException {
      Posix.setTimes(fd, accessed, modified, path);
    }
  }
}
