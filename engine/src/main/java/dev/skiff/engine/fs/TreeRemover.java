package dev.skiff.engine.fs;

import java.io.IOException;
import java.nio.file.Path;

/** Deletes whole trees; rootless engines need a way that reaches files owned by their subordinate ids. */
@FunctionalInterface
public interface TreeRemover {
  /** {@link TreeDeleter}: enough for whatever this process's own uid may delete. */
  TreeRemover PLAIN = TreeDeleter::delete;

  /** Deletes {@code tree} (a file, a symlink, or a directory with everything below it); missing is fine. */
  void remove(Path tree) throws IOException;
}
