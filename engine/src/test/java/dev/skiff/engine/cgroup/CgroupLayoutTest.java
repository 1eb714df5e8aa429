package dev.skiff.engine.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Layouts as real hosts show them in /proc/self/mountinfo and /proc/self/cgroup, and where containers go there. */
class CgroupLayoutTest {
  /** Debian with v1 controllers and an empty v2 hierarchy beside them, as the machine these tests were written on. */
  static final String HYBRID_MOUNTINFO = """
      22 1 0:21 / / rw,relatime - overlay overlay rw
      30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
      31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
      32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
      34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
      38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
      39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
      40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
      """;
  static final String HYBRID_CGROUP = """
      9:name=systemd:/
      8:pids:/
      4:memory:/process_api/ff08
      2:cpuacct:/
      1:cpu:/
      0::/
      """;
  /** A systemd desktop on pure v2: a JVM of an IDE in its own scope under the user's delegated manager. */
  static final String V2_MOUNTINFO = """
      24 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw
      35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
      """;
  static final String V2_CGROUP = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/idea-1.scope\n";

  static CgroupLayout.Hierarchy hierarchy(CgroupLayout layout, Controller c) {
    return layout.hierarchy(c).orElseThrow();
  }

  @Test
  void hybridHostsKeepTheControllersOnV1() {
    CgroupLayout layout = CgroupLayout.parse(HYBRID_MOUNTINFO, HYBRID_CGROUP);
    assertThat(hierarchy(layout, Controller.MEMORY)).isEqualTo(new CgroupLayout.Hierarchy(false,
        Path.of("/sys/fs/cgroup/memory"), Path.of("/sys/fs/cgroup/memory/process_api/ff08")));
    assertThat(hierarchy(layout, Controller.CPU)).isEqualTo(new CgroupLayout.Hierarchy(false,
        Path.of("/sys/fs/cgroup/cpu"), Path.of("/sys/fs/cgroup/cpu")));
    assertThat(hierarchy(layout, Controller.PIDS).own()).isEqualTo(Path.of("/sys/fs/cgroup/pids"));
  }

  @Test
  void aControllerMissingOnV1FallsToTheUnifiedHierarchy() {
    CgroupLayout layout = CgroupLayout.parse(HYBRID_MOUNTINFO.replace("rw,pids", "rw,blkio"),
        HYBRID_CGROUP.replace("8:pids:/", "8:blkio:/").replace("0::/", "0::/init.scope"));
    assertThat(hierarchy(layout, Controller.PIDS)).isEqualTo(new CgroupLayout.Hierarchy(true,
        Path.of("/sys/fs/cgroup/unified"), Path.of("/sys/fs/cgroup/unified/init.scope")));
    assertThat(hierarchy(layout, Controller.MEMORY).v2()).isFalse();
  }

  @Test
  void coMountedControllersAndBindMountedRootsAsInADockerContainer() {
    String mountinfo = """
        600 590 0:40 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro,nosuid - cgroup cgroup rw,cpu,cpuacct
        601 590 0:41 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory
        602 590 0:42 /docker/abc /sys/fs/cgroup/my\\040pids ro,nosuid - cgroup cgroup rw,pids
        """;
    String cgroup = "12:pids:/docker/abc/inner\n4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n";
    CgroupLayout layout = CgroupLayout.parse(mountinfo, cgroup);
    assertThat(hierarchy(layout, Controller.CPU).own()).isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct"));
    assertThat(hierarchy(layout, Controller.MEMORY).own()).isEqualTo(Path.of("/sys/fs/cgroup/memory"));
    assertThat(hierarchy(layout, Controller.PIDS).own()).isEqualTo(Path.of("/sys/fs/cgroup/my pids/inner"));
  }

  @Test
  void aCgroupOutsideTheMountsViewHasNoHierarchy() {
    CgroupLayout layout = CgroupLayout.parse(
        "601 590 0:41 /docker/abc /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory\n", "4:memory:/other\n");
    assertThat(layout.hierarchy(Controller.MEMORY)).isEmpty();
    assertThat(CgroupLayout.parse("", "").hierarchy(Controller.PIDS)).isEmpty();
  }

  @Test
  void pureV2AsRootPlacesContainersUnderSkiffAtTheRootEnablingControllersOnTheWay() {
    CgroupLayout.Hierarchy h = hierarchy(CgroupLayout.parse(V2_MOUNTINFO, V2_CGROUP), Controller.MEMORY);
    assertThat(h.v2()).isTrue();
    assertThat(Placement.v2(h, "skiff-c1", false, p -> false)).contains(new Placement(
        Path.of("/sys/fs/cgroup/skiff/skiff-c1"), List.of(Path.of("/sys/fs/cgroup"), Path.of("/sys/fs/cgroup/skiff"))));
  }

  @Test
  void pureV2RootlessUsesTheNearestDelegatedAncestorOrNothing() {
    CgroupLayout.Hierarchy h = hierarchy(CgroupLayout.parse(V2_MOUNTINFO, V2_CGROUP), Controller.PIDS);
    Path user = Path.of("/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service");
    assertThat(Placement.v2(h, "skiff-c1", true, p -> p.startsWith(user))).contains(new Placement(
        user.resolve("app.slice/skiff-c1"), List.of(user.resolve("app.slice"))));
    assertThat(Placement.v2(h, "skiff-c1", true, p -> false)).isEmpty();
  }

  @Test
  void rootOnV1GetsOneChildOfItsOwnCgroupPerHierarchy() throws Exception {
    Cgroups cgroups = new Cgroups(CgroupLayout.parse(HYBRID_MOUNTINFO, HYBRID_CGROUP), false, p -> false);
    CgroupPlan plan = cgroups.plan("c1", "test", ResourceLimitsTest.limits("16m", null, 1.0, null, 10L))
        .orElseThrow();
    assertThat(plan.directories()).containsExactly(Path.of("/sys/fs/cgroup/memory/process_api/ff08/skiff-c1"),
        Path.of("/sys/fs/cgroup/cpu/skiff-c1"), Path.of("/sys/fs/cgroup/pids/skiff-c1"));
    assertThat(cgroups.plan("c2", "test", ResourceLimits.NONE)).as("no limits, no cgroup").isEmpty();
  }

  @Test
  void rootlessOnV1AppliesLimitsOnlyWhereItMayWrite() throws Exception {
    CgroupLayout layout = CgroupLayout.parse(HYBRID_MOUNTINFO, HYBRID_CGROUP);
    ResourceLimits limits = ResourceLimitsTest.limits("16m", null, null, null, 10L);
    assertThat(new Cgroups(layout, true, p -> false).plan("c1", "test", limits)).isEmpty();
    Optional<CgroupPlan> delegated = new Cgroups(layout, true, p -> p.startsWith("/sys/fs/cgroup/memory"))
        .plan("c1", "test", limits);
    assertThat(delegated.orElseThrow().directories())
        .containsExactly(Path.of("/sys/fs/cgroup/memory/process_api/ff08/skiff-c1"));
  }

  @Test
  void controllersOnOneV2HierarchyShareOneCgroup() throws Exception {
    Cgroups cgroups = new Cgroups(CgroupLayout.parse(V2_MOUNTINFO, V2_CGROUP), false, p -> false);
    CgroupPlan plan = cgroups.plan("c1", "test", ResourceLimitsTest.limits("16m", null, 1.0, null, 10L))
        .orElseThrow();
    assertThat(plan.directories()).containsExactly(Path.of("/sys/fs/cgroup/skiff/skiff-c1"));
  }
}
