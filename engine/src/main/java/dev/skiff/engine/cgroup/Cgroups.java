package dev.skiff.engine.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the cgroups that enforce containers' {@link ResourceLimits}, on cgroup v1, v2 or a hybrid of both: one fresh
 * cgroup per container start, named {@code skiff-CONTAINER_ID} (never reused, so never one that was killed), placed
 * as {@link Placement} says. Only a container that asks for a limit gets one: joining a v1 cgroup costs a start
 * 7-11 ms. Rootless, limits apply only where a cgroup is delegated to the user; elsewhere containers run without
 * them, after one warning per engine. One per engine; thread-safe.
 */
public final class Cgroups {
  private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);

  private final boolean rootless;
  private final Predicate<Path> writable;
  private final AtomicBoolean warnedUndelegated = new AtomicBoolean();
  private CgroupLayout layout;

  Cgroups(CgroupLayout layout, boolean rootless, Predicate<Path> writable) {
    this.layout = layout;
    this.rootless = rootless;
    this.writable = writable;
  }

  /**
   * The cgroups of this process, read when the first container asks for limits.
   *
   * @param rootless whether this process lacks root's privileges, so it may write only cgroups delegated to it
   */
  public static Cgroups forThisProcess(boolean rootless) {
    return new Cgroups(null, rootless, p -> Files.isWritable(p) && Files.isWritable(p.resolve("cgroup.procs")));
  }

  private synchronized CgroupLayout layout() throws IOException {
    if (layout == null) {
      layout = CgroupLayout.current();
    }
    return layout;
  }

  /**
   * Plans the cgroups of a container; nothing is made yet.
   *
   * @param container names it in messages
   * @return empty when {@code limits} are empty or none of them can be applied here (which is logged)
   */
  public Optional<CgroupPlan> plan(String containerId, String container, ResourceLimits limits) throws IOException {
    if (limits.isEmpty()) {
      return Optional.empty();
    }
    CgroupLayout layout = layout();
    Map<CgroupLayout.Hierarchy, Set<Controller>> byHierarchy = new LinkedHashMap<>();
    List<String> notApplied = new ArrayList<>();
    for (Controller c : limits.controllers()) {
      Optional<CgroupLayout.Hierarchy> h = layout.hierarchy(c);
      if (h.isEmpty()) {
        notApplied.add("the " + c.kernelName + " limits (no cgroup hierarchy is mounted with the " + c.kernelName
            + " controller)");
      } else {
        byHierarchy.computeIfAbsent(h.get(), k -> EnumSet.noneOf(Controller.class)).add(c);
      }
    }
    String name = "skiff-" + containerId;
    List<CgroupPlan.Member> members = new ArrayList<>();
    for (Map.Entry<CgroupLayout.Hierarchy, Set<Controller>> e : byHierarchy.entrySet()) {
      CgroupLayout.Hierarchy h = e.getKey();
      Optional<Placement> placement = h.v2() ? Placement.v2(h, name, rootless, writable)
          : !rootless || writable.test(h.own()) ? Optional.of(Placement.v1(h, name)) : Optional.empty();
      if (placement.isPresent()) {
        members.add(new CgroupPlan.Member(placement.get(), h.v2(), e.getValue()));
      } else {
        warnUndelegated(h.own());
      }
    }
    if (members.isEmpty()) {
      CgroupPlan.warn(container, notApplied);
      return Optional.empty();
    }
    return Optional.of(new CgroupPlan(container, members, limits, notApplied));
  }

  private void warnUndelegated(Path own) {
    if (warnedUndelegated.compareAndSet(false, true)) {
      LOG.warn("Containers of this engine run WITHOUT their resource limits (memory, cpus, pids): this JVM runs"
          + " rootless (as {}) and no cgroup is delegated to it (it may not write {} or above). To get the"
          + " limits, run the JVM as root, or in a cgroup v2 subtree delegated to this user (with systemd: systemd-run"
          + " --user --scope -p Delegate=yes java ...).", System.getProperty("user.name"), own);
    }
  }
}
