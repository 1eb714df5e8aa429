package dev.skiff.engine.layer;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Modes and times of directories, applied once everything inside them exists: creating a child changes a
 * directory's mtime, and a read-only mode would stop an unprivileged writer from creating the child at all.
 */
final class DirectoryAttributes {
  /** A mode for {@link #defer} that leaves the directory's mode as it is. */
  static final int KEEP_MODE = -1;

  private record Pending(String path, Path dir, int mode, FileTime accessed, FileTime modified) {}

  private final Map<String, Pending> byPath = new HashMap<>();

  /**
   * Remembers what to set on {@code dir} (at relative {@code path}); a later call for the same path wins.
   *
   * @param mode all twelve permission bits, or {@link #KEEP_MODE}
   */
  void defer(String path, Path dir, int mode, FileTime accessed, FileTime modified) {
    byPath.put(path, new Pending(path, dir, mode, accessed, modified));
  }

  /** Drops what was remembered for {@code path} and below, which are being removed. */
  void forget(String path) {
    byPath.keySet().removeIf(candidate -> EntryPath.isWithin(candidate, path));
  }

  /** Sets modes, then times, deepest directories first. */
  void applyAll() throws IOException {
    List<Pending> pending = new ArrayList<>(byPath.values());
    pending.sort((a, b) -> Integer.compare(EntryPath.depth(b.path), EntryPath.depth(a.path)));
    for (Pending p : pending) {
      if (p.mode != KEEP_MODE) {
        Posix.chmod(p.dir, p.mode);
      }
      Posix.setTimes(p.dir, p.accessed, p.modified);
    }
    byPath.clear();
  }
}
