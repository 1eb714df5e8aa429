/* The container process's credentials: Docker's default capabilities, no_new_privs, the user, then execve. */
#include "launcher.h"

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

/* CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD
   AUDIT_WRITE SETFCAP, as numbered in linux/capability.h. */
static const int DEFAULT_CAPS[] = {0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31};
#define LAST_CAP_GUESS 63

struct cap_header { uint32_t version; int pid; };
struct cap_data { uint32_t effective, permitted, inheritable; };

static int is_default(int cap) {
  for (size_t i = 0; i < sizeof DEFAULT_CAPS / sizeof DEFAULT_CAPS[0]; i++) {
    if (DEFAULT_CAPS[i] == cap) return 1;
  }
  return 0;
}

static void drop_bounding_set(void) {
  for (int cap = 0; cap <= LAST_CAP_GUESS; cap++) {
    if (is_default(cap)) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
      if (errno == EINVAL) break;  /* past the last capability this kernel knows */
      fail("prctl(PR_CAPBSET_DROP)", "-");
    }
  }
}

static void set_capabilities(uid_t uid) {
  struct cap_header h = {0x20080522 /* _LINUX_CAPABILITY_VERSION_3 */, 0};
  struct cap_data d[2];
  memset(d, 0, sizeof d);
  if (uid == 0) {  /* a non-root user keeps none, as with Docker */
    for (size_t i = 0; i < sizeof DEFAULT_CAPS / sizeof DEFAULT_CAPS[0]; i++) {
      int c = DEFAULT_CAPS[i];
      d[c / 32].effective |= 1u << (c % 32);
      d[c / 32].permitted |= 1u << (c % 32);
    }
  }
  if (syscall(SYS_capset, &h, d) < 0) fail("capset", "-");
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
    fail("prctl(PR_CAP_AMBIENT_CLEAR_ALL)", "-");
  }
}

static const char *container_path(const struct spec *spec) {
  for (size_t i = 0; i < spec->envc; i++) {
    if (!strncmp(spec->env[i], "PATH=", 5)) return spec->env[i] + 5;
  }
  return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

/* execvpe would search the launcher's PATH; the container's is the one that counts. */
_Noreturn void exec_command(const struct spec *spec) {
  const char *cmd = spec->argv[0];
  if (strchr(cmd, '/')) {
    execve(cmd, spec->argv, spec->env);
    fail("execve", cmd);
  }
  int saved = ENOENT;
  char candidate[4096];
  for (const char *p = container_path(spec); ; ) {
    size_t n = strcspn(p, ":");
    snprintf(candidate, sizeof candidate, "%.*s%s%s", (int)n, p, n ? "/" : "", cmd);
    execve(candidate, spec->argv, spec->env);
    if (errno != ENOENT && errno != ENOTDIR) saved = errno;
    p += n;
    if (!*p) break;
    p++;
  }
  errno = saved;
  fail("execve", cmd);
}

void identity_apply(const struct spec *spec) {
  drop_bounding_set();
  /* A user namespace whose gid map was written without newgidmap forbids setgroups; the JVM asks for none there. */
  if (!userns_setgroups_denied(&spec->userns) && setgroups(spec->n_groups, spec->groups) < 0) fail("setgroups", "-");
  if (setresgid(spec->gid, spec->gid, spec->gid) < 0) fail("setresgid", "-");
  if (setresuid(spec->uid, spec->uid, spec->uid) < 0) fail("setresuid", "-");
  set_capabilities(spec->uid);
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail("prctl(PR_SET_NO_NEW_PRIVS)", "-");
  if (chdir(spec->cwd) < 0) fail("chdir", spec->cwd);
  /* Credential changes clear the parent-death signal, so set it last: the launcher's end is the container's. */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) fail("prctl(PR_SET_PDEATHSIG)", "-");
}

_Noreturn void identity_exec(const struct spec *spec) {
  identity_apply(spec);
  exec_command(spec);
}
