package dev.skiff.engine.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ResourceLimitsTest {
  static ResourceLimits limits(String memory, String swap, Double cpus, Integer shares, Long pids) {
    return new ResourceLimits(Optional.ofNullable(memory).map(MemorySize::parse),
        Optional.ofNullable(swap).map(MemorySize::parse),
        cpus == null ? OptionalDouble.empty() : OptionalDouble.of(cpus),
        shares == null ? OptionalInt.empty() : OptionalInt.of(shares),
        pids == null ? OptionalLong.empty() : OptionalLong.of(pids));
  }

  @Test
  void outOfRangeLimitsAreRejectedWithTheRange() {
    assertThatThrownBy(() -> limits("5m", null, null, null, null)).hasMessageContaining("5 MiB is too small")
        .hasMessageContaining("at least 6 MiB");
    assertThatThrownBy(() -> limits(null, "64m", null, null, null)).hasMessageContaining("needs a memory limit");
    assertThatThrownBy(() -> limits("64m", "32m", null, null, null))
        .hasMessageContaining("(32 MiB) must be at least the memory limit (64 MiB)");
    assertThatThrownBy(() -> limits(null, null, 0.0, null, null)).hasMessageContaining("at least 0.01 CPUs");
    assertThatThrownBy(() -> limits(null, null, Double.NaN, null, null)).hasMessageContaining("out of range");
    assertThatThrownBy(() -> limits(null, null, null, 1, null)).hasMessageContaining("out of range 2 to 262144");
    assertThatThrownBy(() -> limits(null, null, null, null, 0L)).hasMessageContaining("at least 1");
  }

  @Test
  void eachLimitNeedsItsController() {
    assertThat(ResourceLimits.NONE.isEmpty()).isTrue();
    assertThat(limits("6m", "6m", null, null, null).controllers()).containsExactly(Controller.MEMORY);
    assertThat(limits(null, null, 0.5, null, 10L).controllers()).containsExactly(Controller.CPU, Controller.PIDS);
    assertThat(limits(null, null, null, 512, null).controllers()).containsExactly(Controller.CPU);
  }

  @Test
  void limitFilesPerVersionAndDockersArithmetic() {
    ResourceLimits all = limits("16m", null, 1.5, 512, 20L);
    assertThat(LimitFile.of(all, false)).extracting(f -> f.name() + "=" + f.value()).containsExactly(
        "memory.limit_in_bytes=16777216", "memory.memsw.limit_in_bytes=16777216", "cpu.cfs_period_us=100000",
        "cpu.cfs_quota_us=150000", "cpu.shares=512", "pids.max=20");
    assertThat(LimitFile.of(all, true)).extracting(f -> f.name() + "=" + f.value()).containsExactly(
        "memory.max=16777216", "memory.swap.max=0", "cpu.max=150000 100000", "cpu.weight=20", "pids.max=20");
    assertThat(LimitFile.of(limits("16m", "48m", 0.001 + 0.01, null, null), true))
        .extracting(f -> f.name() + "=" + f.value())
        .containsExactly("memory.max=16777216", "memory.swap.max=33554432", "cpu.max=1100 100000");
    assertThat(LimitFile.of(limits(null, null, null, 1024, null), true)).extracting(LimitFile::value)
        .containsExactly("39"); // runc: 1 + (1024 - 2) * 9999 / 262142
  }
}
