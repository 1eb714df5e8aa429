package dev.skiff.engine.layer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Gives the entries of a layer unpacked without privileges the owners the layer records, and copies such files
 * between layers with their owners.
 */
public interface OwnershipRestorer {
  /** Leaves every file owned by the unpacking user, as if the layer had recorded no owners. */
  OwnershipRestorer NONE = (root, owners, what) -> { };

  /**
   * @param root the layer's directory
   * @param owners entries owned by someone other than root (0:0); the rest stay the unpacking user's
   * @param what names the layer in messages
   */
  void restore(Path root, List<FileOwner> owners, String what) throws IOException;

  /**
   * Copies the regular file {@code source} (in a layer) to {@code target} (in another), keeping its mode, times and
   * owner. This default copies as this process, which keeps the owner only for root.
   */
  default void copy(Path source, Path target) throws IOException {
    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
  }
}
