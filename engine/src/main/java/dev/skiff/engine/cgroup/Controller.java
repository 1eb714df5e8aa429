package dev.skiff.engine.cgroup;

/** The cgroup controllers that enforce {@link ResourceLimits}. */
enum Controller {
  MEMORY("memory"), CPU("cpu"), PIDS("pids");

  /** The name in /proc/self/cgroup, mount options and cgroup.controllers. */
  final String kernelName;

  Controller(String kernelName) {
    this.kernelName = kernelName;
  }
}
