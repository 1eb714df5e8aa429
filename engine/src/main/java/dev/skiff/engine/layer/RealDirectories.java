package dev.skiff.engine.layer;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * Makes sure nothing is written through a symlink: knows which directories under a root are real directories
 * (checked with lstat, or created here) and refuses paths below anything else. Each directory is checked once.
 */
final class RealDirectories {
  private final Path root;
  private final NewFileDefaults defaults;
  private final Set<String> known = new HashSet<>();

  RealDirectories(Path root, NewFileDefaults defaults) {
    this.root = root;
    this.defaults = defaults;
  }

  /** Where a normalised relative path lies on disk. */
  Path resolve(String path) {
    return path.isEmpty() ? root : root.resolve(path);
  }

  /** Records a directory just created, or found to be real. */
  void add(String dir) {
    known.add(dir);
  }

  /** Forgets {@code path} and everything below it, which are being removed. */
  void forget(String path) {
    known.removeIf(dir -> EntryPath.isWithin(dir, path));
  }

  /**
   * Ensures every directory above {@code path} is a real directory, creating missing ones (mode 0755, as Docker).
   *
   * @throws UnsafeEntryException if one of them is a symlink or not a directory
   */
  void createParentsOf(String path) throws IOException {
    String parent = EntryPath.parent(path);
    if (parent.isEmpty() || known.contains(parent)) {
      return;
    }
    createParentsOf(parent);
    Path dir = resolve(parent);
    try {
      Posix.mkdir(dir, TreeWriter.DIRECTORY_MODE);
      if (!defaults.yieldsMode(TreeWriter.DIRECTORY_MODE, TreeWriter.DIRECTORY_MODE)) {
        Posix.chmod(dir, TreeWriter.DIRECTORY_MODE);
      }
    } catch (FileAlreadyExistsException e) {
      requireRealDirectory(parent, dir);
    }
    known.add(parent);
  }

  /**
   * Whether every directory above {@code path} exists; creates nothing.
   *
   * @throws UnsafeEntryException if one of them is a symlink or not a directory
   */
  boolean parentsExist(String path) throws IOException {
    String parent = EntryPath.parent(path);
    if (parent.isEmpty() || known.contains(parent)) {
      return true;
    }
    if (!parentsExist(parent)) {
      return false;
    }
    try {
      requireRealDirectory(parent, resolve(parent));
    } catch (NoSuchFileException e) {
      return false;
    }
    known.add(parent);
    return true;
  }

  private static void requireRealDirectory(String relative, Path dir) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attributes.isSymbolicLink()) {
      throw new UnsafeEntryException(
          "lies below '" + relative + "', a symbolic link in this layer; following it could reach outside the layer");
    }
    if (!attributes.isDirectory()) {
      throw new UnsafeEntryException("lies below '" + relative + "', which is not a directory in this layer");
    }
  }
}
