package dev.skiff.engine.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Explains why this host refuses an unprivileged user namespace, from the settings under {@code /proc/sys}. */
final class UserNamespaceSysctls {
  private UserNamespaceSysctls() {}

  /** Which setting forbids it and how to allow it, given clone's {@code errno}. */
  static String explain(Path procSys, int errno) {
    if (value(procSys, "kernel/apparmor_restrict_unprivileged_userns").equals(Optional.of("1"))) {
      return "AppArmor restricts unprivileged user namespaces here (kernel.apparmor_restrict_unprivileged_userns=1, the"
          + " default since Ubuntu 23.10). Allow them with 'sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0'"
          + " (persist it in /etc/sysctl.d/), or give java an AppArmor profile with the 'userns,' rule, or run as"
          + " root.";
    }
    if (value(procSys, "kernel/unprivileged_userns_clone").equals(Optional.of("0"))) {
      return "This kernel forbids unprivileged user namespaces (kernel.unprivileged_userns_clone=0, Debian's old"
          + " default). Allow them with 'sudo sysctl kernel.unprivileged_userns_clone=1' (persist it in"
          + " /etc/sysctl.d/), or run as root.";
    }
    Optional<String> max = value(procSys, "user/max_user_namespaces");
    if (max.equals(Optional.of("0"))) {
      return "User namespaces are disabled (user.max_user_namespaces=0). Allow them with 'sudo sysctl"
          + " user.max_user_namespaces=15000' (persist it in /etc/sysctl.d/), or run as root.";
    }
    if (errno == 28 || errno == 87) { // ENOSPC, EUSERS: a limit, not a policy
      return "The limit on user namespaces is reached (user.max_user_namespaces=" + max.orElse("?") + ", or the nesting"
          + " depth of 32). Raise it with 'sudo sysctl user.max_user_namespaces=15000', or end other containers.";
    }
    return "This host forbids unprivileged user namespaces, though none of"
        + " kernel.apparmor_restrict_unprivileged_userns, kernel.unprivileged_userns_clone and"
        + " user.max_user_namespaces says so: a seccomp filter (such as the default profile of a surrounding Docker"
        + " container) or an LSM policy may. Allow unshare(CLONE_NEWUSER) for this user, or run as root.";
  }

  private static Optional<String> value(Path procSys, String name) {
    try {
      return Optional.of(Files.readString(procSys.resolve(name)).trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
