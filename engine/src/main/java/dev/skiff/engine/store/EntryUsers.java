package dev.skiff.engine.store;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which store entries ({@code layers/sha256/HEX}, {@code fixups/sha256/CHAIN}, {@code snapshots/KEY}, relative to the
 * store's root) containers stack, and which containers. Paths are compared as real paths, so a store opened through
 * a symbolic link by another process still matches.
 */
final class EntryUsers {
  private final Map<Path, Set<String>> byEntry;

  private EntryUsers(Map<Path, Set<String>> byEntry) {
    this.byEntry = byEntry;
  }

  static EntryUsers of(Path root, List<ContainerUse> uses) throws IOException {
    Path realRoot = root.toRealPath();
    Map<Path, Set<String>> byEntry = new HashMap<>();
    for (ContainerUse use : uses) {
      for (Path lower : use.lowerDirs()) {
        Path real;
        try {
          real = lower.toRealPath();
        } catch (NoSuchFileException e) {
          continue; // nothing left to keep
        }
        if (real.startsWith(realRoot) && real.getParent() != null) {
          // a lower directory is ENTRY/fs or ENTRY/files: the entry is what prune would delete
          byEntry.computeIfAbsent(realRoot.relativize(real.getParent()), e -> new TreeSet<>()).add(use.name());
        }
      }
    }
    return new EntryUsers(byEntry);
  }

  boolean used(Path entry) {
    return byEntry.containsKey(entry);
  }

  /** The names of the containers that stack any of {@code entries}, sorted. */
  Set<String> users(Collection<Path> entries) {
    Set<String> names = new TreeSet<>();
    for (Path entry : entries) {
      names.addAll(byEntry.getOrDefault(entry, Set.of()));
    }
    return names;
  }
}
