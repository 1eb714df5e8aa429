package dev.skiff.engine.runtime;

/**
 * The launcher could not set a container up: a system call failed between clone and exec. Carries the call, the
 * path it acted on and the errno, and says what usually causes that failure.
 */
public final class ContainerStartException extends ContainerException {
  private final String call;
  private final String path;
  private final int errno;

  ContainerStartException(String container, String call, String path, int errno, String reason) {
    super("Container " + container + " did not start: " + call + " " + path + " failed: " + reason + " (errno " + errno
        + "). " + advice(call, path, errno));
    this.call = call;
    this.path = path;
    this.errno = errno;
  }

  /** The failed call, e.g. {@code execve} or {@code mount(overlay)}. */
  public String call() {
    return call;
  }

  /** The path the call acted on, {@code -} when none. */
  public String path() {
    return path;
  }

  public int errno() {
    return errno;
  }

  private static String advice(String call, String path, int errno) {
    if (call.equals("execve")) {
      return errno == 2
          ? "The command '" + path + "' is not in the image (searched its PATH); check the command or entrypoint."
          : "The command '" + path + "' exists but cannot be executed; check its mode and interpreter line.";
    }
    if (call.equals("chdir")) {
      return "The working directory is not accessible to the container's user; check the workdir and user.";
    }
    if (call.startsWith("mount(overlay)")) {
      return "The kernel refused the overlay root file system; the store must be on a file system overlayfs accepts"
          + " as lower and upper layers (ext4, xfs, btrfs; not overlayfs or NFS).";
    }
    if (call.equals("clone3") && path.equals("user namespace")) {
      return UserNamespaceSysctls.explain(java.nio.file.Path.of("/proc/sys"), errno);
    }
    if (call.endsWith("newuidmap") || call.endsWith("newgidmap")) {
      return "The setuid helper refused this user's subordinate ids; check its ranges in /etc/subuid and /etc/subgid"
          + " and that " + call + " is installed setuid root (Debian package uidmap).";
    }
    if (call.equals("open_tree") || call.equals("move_mount")) {
      return "A bind mount source is missing or not mountable; check the host paths of the bind mounts.";
    }
    if (call.equals("bind") && errno == 98) { // EADDRINUSE
      String port = path.replaceAll(".*:(\\d+)/.*", "$1");
      return "Host port " + port + " is already in use on this host; choose another host port in"
          + " PortBinding.onHostPort(...), or leave it out to get a free one.";
    }
    return "This is a launcher failure; report it with this message.";
  }
}
