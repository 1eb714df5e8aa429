package dev.skiff.engine.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The uid and gid maps of a rootless container's user namespace. With subordinate ids (and the setuid helpers
 * newuidmap/newgidmap that apply them), container id 0 is the user and 1, 2, ... are its subordinate ids in order,
 * as Podman maps them; without, container id 0 is the user and nothing else is mapped.
 *
 * @param newuidmap present exactly when the maps hold subordinate ids
 */
record UserNamespaceMap(List<IdRange> uids, List<IdRange> gids, Optional<Path> newuidmap, Optional<Path> newgidmap) {
  /** One line of a uid_map or gid_map: {@code count} container ids from {@code inside} onto host ids. */
  record IdRange(long inside, long outside, long count) {
    boolean contains(long id) {
      return id >= inside && id - inside < count;
    }
  }

  UserNamespaceMap {
    uids = List.copyOf(uids);
    gids = List.copyOf(gids);
  }

  /** The maps for user {@code uid}/{@code gid}: subordinate ids when both files grant some and the helpers exist. */
  static UserNamespaceMap of(long uid, long gid, List<SubordinateIds.Range> subuids, List<SubordinateIds.Range> subgids,
      Optional<Path> newuidmap, Optional<Path> newgidmap) {
    if (subuids.isEmpty() || subgids.isEmpty() || newuidmap.isEmpty() || newgidmap.isEmpty()) {
      return new UserNamespaceMap(List.of(new IdRange(0, uid, 1)), List.of(new IdRange(0, gid, 1)), Optional.empty(),
          Optional.empty());
    }
    return new UserNamespaceMap(ranges(uid, subuids), ranges(gid, subgids), newuidmap, newgidmap);
  }

  private static List<IdRange> ranges(long own, List<SubordinateIds.Range> subordinate) {
    List<IdRange> ranges = new ArrayList<>();
    ranges.add(new IdRange(0, own, 1));
    long next = 1;
    for (SubordinateIds.Range r : subordinate) {
      ranges.add(new IdRange(next, r.start(), r.count()));
      next += r.count();
    }
    return ranges;
  }

  /** Whether only the user itself is mapped (no subordinate ids): files keep no other owners. */
  boolean singleId() {
    return newuidmap.isEmpty();
  }

  boolean mapsUid(long uid) {
    return uids.stream().anyMatch(r -> r.contains(uid));
  }

  boolean mapsGid(long gid) {
    return gids.stream().anyMatch(r -> r.contains(gid));
  }

  /** How many container uids exist, 0 up to this (exclusive). */
  long uidCount() {
    return uids.stream().mapToLong(IdRange::count).sum();
  }

  /** Adds the {@code userns.*} entries that make the launcher clone a user namespace with these maps. */
  LauncherSpec addTo(LauncherSpec spec) {
    uids.forEach(r -> spec.put("userns.uid", r.inside() + " " + r.outside() + " " + r.count()));
    gids.forEach(r -> spec.put("userns.gid", r.inside() + " " + r.outside() + " " + r.count()));
    newuidmap.ifPresent(p -> spec.put("userns.newuidmap", p.toString()));
    newgidmap.ifPresent(p -> spec.put("userns.newgidmap", p.toString()));
    return spec;
  }
}
