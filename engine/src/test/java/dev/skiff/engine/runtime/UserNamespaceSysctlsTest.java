package dev.skiff.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The explanation names the setting that forbids user namespaces, read from a /proc/sys-shaped directory. */
class UserNamespaceSysctlsTest {
  static final int EPERM = 1;
  static final int ENOSPC = 28;

  @TempDir Path procSys;

  private void set(String name, String value) throws Exception {
    Path file = procSys.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, value + "\n");
  }

  @Test
  void ubuntusAppArmorRestriction() throws Exception {
    set("kernel/apparmor_restrict_unprivileged_userns", "1");
    set("user/max_user_namespaces", "15000");
    assertThat(UserNamespaceSysctls.explain(procSys, EPERM))
        .contains("kernel.apparmor_restrict_unprivileged_userns=1",
            "sysctl kernel.apparmor_restrict_unprivileged_userns=0");
  }

  @Test
  void debiansOldSwitch() throws Exception {
    set("kernel/unprivileged_userns_clone", "0");
    assertThat(UserNamespaceSysctls.explain(procSys, EPERM)).contains("sysctl kernel.unprivileged_userns_clone=1");
  }

  @Test
  void aZeroLimit() throws Exception {
    set("user/max_user_namespaces", "0");
    set("kernel/apparmor_restrict_unprivileged_userns", "0");
    assertThat(UserNamespaceSysctls.explain(procSys, ENOSPC)).contains("user.max_user_namespaces=0",
        "sysctl user.max_user_namespaces=15000");
  }

  @Test
  void aReachedLimitAndAnUnknownCause() throws Exception {
    set("user/max_user_namespaces", "3");
    assertThat(UserNamespaceSysctls.explain(procSys, ENOSPC)).contains("limit", "user.max_user_namespaces=3");
    assertThat(UserNamespaceSysctls.explain(procSys, EPERM)).contains("seccomp");
  }
}
