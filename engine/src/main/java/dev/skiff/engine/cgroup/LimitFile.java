package dev.skiff.engine.cgroup;

import java.util.ArrayList;
import java.util.List;

/** One limit as a cgroup file and the value written to it. */
record LimitFile(Controller controller, String name, String value) {
  /** The CFS period, as Docker uses it; {@code --cpus} sets the quota per period. */
  static final long CPU_PERIOD_MICROS = 100_000;

  /** The files that set {@code limits}, in the order they must be written. */
  static List<LimitFile> of(ResourceLimits limits, boolean v2) {
    List<LimitFile> files = new ArrayList<>();
    limits.memory().ifPresent(memory -> {
      long swap = limits.memorySwap().orElse(memory).bytes();
      if (v2) {
        files.add(new LimitFile(Controller.MEMORY, "memory.max", Long.toString(memory.bytes())));
        files.add(new LimitFile(Controller.MEMORY, "memory.swap.max", Long.toString(swap - memory.bytes())));
      } else { // memsw may not be below limit_in_bytes: limit first
        files.add(new LimitFile(Controller.MEMORY, "memory.limit_in_bytes", Long.toString(memory.bytes())));
        files.add(new LimitFile(Controller.MEMORY, "memory.memsw.limit_in_bytes", Long.toString(swap)));
      }
    });
    limits.cpus().ifPresent(cpus -> {
      long quota = Math.max(1000, Math.round(cpus * CPU_PERIOD_MICROS));
      if (v2) {
        files.add(new LimitFile(Controller.CPU, "cpu.max", quota + " " + CPU_PERIOD_MICROS));
      } else {
        files.add(new LimitFile(Controller.CPU, "cpu.cfs_period_us", Long.toString(CPU_PERIOD_MICROS)));
        files.add(new LimitFile(Controller.CPU, "cpu.cfs_quota_us", Long.toString(quota)));
      }
    });
    limits.cpuShares().ifPresent(shares -> files.add(v2
        // runc's mapping of shares (2..262144) onto weights (1..10000)
        ? new LimitFile(Controller.CPU, "cpu.weight", Long.toString(1 + ((shares - 2L) * 9999) / 262142))
        : new LimitFile(Controller.CPU, "cpu.shares", Integer.toString(shares))));
    limits.pidsLimit().ifPresent(pids -> files.add(new LimitFile(Controller.PIDS, "pids.max", Long.toString(pids))));
    return files;
  }
}
