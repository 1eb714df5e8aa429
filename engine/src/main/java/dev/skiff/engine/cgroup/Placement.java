package dev.skiff.engine.cgroup;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where a container's cgroup goes in one hierarchy.
 *
 * <p>v1: a child of this process's own cgroup, so that the limits of whoever runs this JVM bound its containers too,
 * and their cleanup catches what it leaks. v2: a cgroup cannot hold both processes and children with controllers,
 * so, as root, under {@code skiff/} at the hierarchy's root; rootless, beside this process's cgroup under the nearest
 * ancestor the user may write (a subtree delegated to it, as systemd's user@.service is).
 *
 * @param directory the container's cgroup
 * @param enableIn the directories whose {@code cgroup.subtree_control} must enable the controllers first, top first
 *     (v2); they are created when missing
 */
record Placement(Path directory, List<Path> enableIn) {
  Placement {
    enableIn = List.copyOf(enableIn);
  }

  static Placement v1(CgroupLayout.Hierarchy hierarchy, String name) {
    return new Placement(hierarchy.own().resolve(name), List.of());
  }

  /** Empty when, rootless, no ancestor of this process's cgroup is {@code writable}. */
  static Optional<Placement> v2(CgroupLayout.Hierarchy hierarchy, String name, boolean rootless,
      Predicate<Path> writable) {
    if (!rootless) {
      Path base = hierarchy.mountPoint().resolve("skiff");
      return Optional.of(new Placement(base.resolve(name), List.of(hierarchy.mountPoint(), base)));
    }
    for (Path p = hierarchy.own().getParent(); p != null && p.startsWith(hierarchy.mountPoint()); p = p.getParent()) {
      if (writable.test(p)) {
        return Optional.of(new Placement(p.resolve(name), List.of(p)));
      }
    }
    return Optional.empty();
  }
}
