package dev.skiff.engine.store;

import java.nio.file.Path;
import java.util.List;

/**
 * A container of the store and the store directories its overlay stacks as lower layers (layer files, fixups, a
 * snapshot's files): what {@link ImageStore#prune} keeps and {@link ImageStore#removeImage} will not orphan.
 *
 * @param id the container's id
 * @param name the container's name, as {@code skiff ps} shows it
 * @param lowerDirs top first, as the container recorded them
 */
public record ContainerUse(String id, String name, List<Path> lowerDirs) {
  public ContainerUse {
    lowerDirs = List.copyOf(lowerDirs);
  }

  /** Reads the store's containers and what they stack, each time it is asked (prune asks under its lock). */
  @FunctionalInterface
  public interface Source {
    /** A store that runs no containers, or whose containers this caller knows to be gone. */
    Source NONE = List::of;

    List<ContainerUse> current() throws java.io.IOException;
  }
}
