package dev.skiff.engine.cgroup;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The cgroups of one container, one per hierarchy: what its OOM counter says, and their removal. */
public final class ContainerCgroup {
  private static final long REMOVE_TIMEOUT_MILLIS = 2000;

  private final List<Path> directories;

  private ContainerCgroup(List<Path> directories) {
    this.directories = List.copyOf(directories);
  }

  /** The cgroups at {@code directories}, e.g. as recorded for a container of another process. */
  public static ContainerCgroup of(List<Path> directories) {
    return new ContainerCgroup(directories);
  }

  public List<Path> directories() {
    return directories;
  }

  /**
   * Whether the kernel's OOM killer has killed a process of the container for exceeding its memory limit: the
   * {@code oom_kill} count in v1's memory.oom_control or v2's memory.events. False without a memory cgroup.
   */
  public boolean oomKilled() throws IOException {
    for (Path dir : directories) {
      for (String file : List.of("memory.oom_control", "memory.events")) {
        try {
          for (String line : Files.readAllLines(dir.resolve(file))) {
            if (line.startsWith("oom_kill ") && Long.parseLong(line.substring(9).trim()) > 0) {
              return true;
            }
          }
        } catch (NoSuchFileException e) {
          // not the memory cgroup, or not this version's file
        }
      }
    }
    return false;
  }

  /**
   * Removes the cgroups once their processes are gone: rmdir fails with EBUSY until the last one has exited, so it is
   * retried for up to 2 s. Cgroups already gone are fine.
   *
   * @throws IOException when a cgroup still holds processes after that, naming them
   */
  public void remove() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REMOVE_TIMEOUT_MILLIS);
    for (Path dir : directories) {
      for (;;) {
        try {
          Files.deleteIfExists(dir);
          break;
        } catch (FileSystemException e) {
          if (System.nanoTime() > deadline) {
            throw new IOException("Cannot remove the cgroup " + dir + ": " + e.getReason() + "; the processes "
                + processes(dir) + " are still in it", e);
          }
          try {
            Thread.sleep(10);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while removing the cgroup " + dir, ie);
          }
        }
      }
    }
  }

  private static String processes(Path dir) {
    try {
      return Files.readString(dir.resolve("cgroup.procs")).trim().replace('\n', ' ');
    } catch (IOException e) {
      return "(unknown: " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return "cgroups " + directories;
  }
}
