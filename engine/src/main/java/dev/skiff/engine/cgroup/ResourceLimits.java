package dev.skiff.engine.cgroup;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a container may use, as {@code docker run} limits it; each limit is optional, and none at all means the
 * container gets no cgroup of its own.
 *
 * @param memory the most memory its processes may use together; beyond it the kernel's OOM killer kills one of them
 * @param memorySwap memory plus swap; empty means as much as {@code memory}, so the container cannot escape its
 *     limit by swapping (where the kernel accounts swap)
 * @param cpus how many CPUs' worth of time it may use, as a CFS quota per 100 ms period ({@code docker --cpus})
 * @param cpuShares its relative weight when CPUs are contended, 2 to 262144 (1024 is a normal process's)
 * @param pidsLimit the most processes and threads it may have at once
 */
public record ResourceLimits(Optional<MemorySize> memory, Optional<MemorySize> memorySwap, OptionalDouble cpus,
    OptionalInt cpuShares, OptionalLong pidsLimit) {
  /** No limit at all. */
  public static final ResourceLimits NONE = new ResourceLimits(Optional.empty(), Optional.empty(),
      OptionalDouble.empty(), OptionalInt.empty(), OptionalLong.empty());

  /** The least memory limit, as Docker's: below it even a shell's start-up is killed. */
  public static final MemorySize MIN_MEMORY = MemorySize.ofMebibytes(6);

  /**
   * @throws IllegalArgumentException when a limit is out of range, or memorySwap is given without memory or below it
   */
  public ResourceLimits {
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(memorySwap, "memorySwap");
    Objects.requireNonNull(cpus, "cpus");
    Objects.requireNonNull(cpuShares, "cpuShares");
    Objects.requireNonNull(pidsLimit, "pidsLimit");
    memory.ifPresent(m -> {
      if (m.compareTo(MIN_MEMORY) < 0) {
        throw new IllegalArgumentException("A memory limit of " + m + " is too small; give at least " + MIN_MEMORY
            + " (e.g. 6m)");
      }
    });
    memorySwap.ifPresent(s -> {
      if (memory.isEmpty()) {
        throw new IllegalArgumentException("A memory+swap limit (" + s + ") needs a memory limit too; set both");
      }
      if (s.compareTo(memory.get()) < 0) {
        throw new IllegalArgumentException("The memory+swap limit (" + s + ") must be at least the memory limit ("
            + memory.get() + "): it counts memory and swap together");
      }
    });
    if (cpus.isPresent() && !(cpus.getAsDouble() >= 0.01 && cpus.getAsDouble() <= 1_000_000)) {
      throw new IllegalArgumentException("A CPU limit of " + cpus.getAsDouble() + " is out of range; give at least"
          + " 0.01 CPUs, e.g. 0.5 or 2");
    }
    if (cpuShares.isPresent() && (cpuShares.getAsInt() < 2 || cpuShares.getAsInt() > 262144)) {
      throw new IllegalArgumentException("CPU shares of " + cpuShares.getAsInt() + " are out of range 2 to 262144"
          + " (1024 is a normal process's weight)");
    }
    if (pidsLimit.isPresent() && pidsLimit.getAsLong() < 1) {
      throw new IllegalArgumentException("A pids limit of " + pidsLimit.getAsLong() + " is out of range; give at"
          + " least 1 (the container's PID 1 counts)");
    }
  }

  /** Whether no limit is set. */
  public boolean isEmpty() {
    return controllers().isEmpty();
  }

  /** The cgroup controllers these limits need. */
  Set<Controller> controllers() {
    Set<Controller> needed = EnumSet.noneOf(Controller.class);
    if (memory.isPresent()) {
      needed.add(Controller.MEMORY);
    }
    if (cpus.isPresent() || cpuShares.isPresent()) {
      needed.add(Controller.CPU);
    }
    if (pidsLimit.isPresent()) {
      needed.add(Controller.PIDS);
    }
    return needed;
  }
}
