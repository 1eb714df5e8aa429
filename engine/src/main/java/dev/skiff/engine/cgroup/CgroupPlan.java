package dev.skiff.engine.cgroup;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cgroups a container will get, one per hierarchy that holds a controller its limits need. Record
 * {@link #directories()} before {@link #create()}, so that what a crash leaves can be found and removed.
 */
public final class CgroupPlan {
  private static final Logger LOG = LoggerFactory.getLogger(CgroupPlan.class);

  /** One cgroup: where it goes, in which version, for which controllers. */
  record Member(Placement placement, boolean v2, Set<Controller> controllers) {}

  private final String container;
  private final List<Member> members;
  private final ResourceLimits limits;
  private final List<String> notApplied;

  CgroupPlan(String container, List<Member> members, ResourceLimits limits, List<String> notApplied) {
    this.container = container;
    this.members = List.copyOf(members);
    this.limits = limits;
    this.notApplied = List.copyOf(notApplied);
  }

  /** The container's cgroup directories, once made. */
  public List<Path> directories() {
    return members.stream().map(m -> m.placement().directory()).toList();
  }

  /**
   * Makes the cgroups and writes the limits. What cannot be applied (a controller the kernel lacks, a cgroup that
   * cannot be made) is logged as a warning naming the limit and why; the container then runs without it.
   *
   * @return the cgroups made, which the container's processes join
   * @throws FileAlreadyExistsException when a cgroup of this name exists: cgroups are never reused
   */
  public ContainerCgroup create() throws IOException {
    List<Path> made = new ArrayList<>();
    List<String> failed = new ArrayList<>(notApplied);
    for (Member m : members) {
      Path dir = m.placement().directory();
      try {
        for (Path parent : m.placement().enableIn()) {
          enable(parent, m.controllers());
        }
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        throw new FileAlreadyExistsException(dir.toString(), null, "the cgroup of container " + container
            + " exists already; a cgroup is never reused (remove it if no process is in it)");
      } catch (IOException e) {
        failed.add("the " + names(m.controllers()) + " limits (" + reason(e) + ")");
        continue;
      }
      made.add(dir);
      for (LimitFile f : LimitFile.of(limits, m.v2())) {
        if (m.controllers().contains(f.controller())) {
          try {
            Files.writeString(dir.resolve(f.name()), f.value(), StandardOpenOption.WRITE);
          } catch (IOException e) {
            failed.add(dir.resolve(f.name()) + "=" + f.value() + " (" + reason(e) + ")");
          }
        }
      }
    }
    warn(container, failed);
    return ContainerCgroup.of(made);
  }

  /** Makes {@code dir} if missing and lets its children use {@code controllers} (v2's cgroup.subtree_control). */
  private static void enable(Path dir, Set<Controller> controllers) throws IOException {
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      // made before, by this engine or another
    }
    Path control = dir.resolve("cgroup.subtree_control");
    List<String> enabled = List.of(Files.readString(control).trim().split(" "));
    for (Controller c : controllers) {
      if (!enabled.contains(c.kernelName)) {
        try {
          Files.writeString(control, "+" + c.kernelName, StandardOpenOption.WRITE);
        } catch (IOException e) {
          // v2 lets a cgroup enable a controller only when its parent has, and while it holds no process itself
          throw new IOException("cannot enable the " + c.kernelName + " controller in " + control + ": " + reason(e),
              e);
        }
      }
    }
  }

  private static String names(Set<Controller> controllers) {
    return String.join(", ", controllers.stream().map(c -> c.kernelName).toList());
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException n) {
      return "the kernel does not offer " + n.getFile();
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getFile() + ": " + f.getReason();
    }
    return e.getMessage();
  }

  static void warn(String container, List<String> notApplied) {
    if (!notApplied.isEmpty()) {
      LOG.warn("Container {} runs without {}", container, String.join("; ", notApplied));
    }
  }
}
