/*
 * skiff-launcher exec CONTROL_SOCKET: one more process in a running container. Same protocol as a container
 * (main.c), with "exec.pid=PID" naming the container's PID 1. The launcher joins that process's namespaces and
 * forks, so the child is inside the container's PID namespace: it dies with the container, and with the launcher
 * (parent-death signal; the launcher kills it when the JVM's socket closes). The child takes the identity of a
 * container process (identity.c), then execs the command or runs a builtin copy (tar.c) in the container's root.
 *
 * [--userns=PID:INODE] exec CONTROL_SOCKET with "exec.view=1" instead: a copy-out from a container that is not
 * running, whose layers the launcher mounts read-only in a mount namespace of its own (rootfs.c).
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * The user namespace comes first (rootless): it owns the others, and joining it gives this process, whose euid owns
 * it, the capabilities there. The mount namespace comes last: after it, /proc is the container's.
 */
static const struct { const char *name; int type; } NAMESPACES[] = {
    {"user", CLONE_NEWUSER}, {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS}, {"net", CLONE_NEWNET},
    {"pid", CLONE_NEWPID}, {"mnt", CLONE_NEWNS}};
#define N_NAMESPACES (sizeof NAMESPACES / sizeof NAMESPACES[0])

static void join_container(pid_t pid, int rootless) {
  int fds[N_NAMESPACES];
  char path[64];
  size_t first = rootless ? 0 : 1;  /* setns into one's own user namespace fails (EINVAL) */
  for (size_t i = first; i < N_NAMESPACES; i++) {
    snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, NAMESPACES[i].name);
    fds[i] = open(path, O_RDONLY | O_CLOEXEC);
    if (fds[i] < 0) fail("open", path);
  }
  for (size_t i = first; i < N_NAMESPACES; i++) {
    snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, NAMESPACES[i].name);
    if (setns(fds[i], NAMESPACES[i].type) < 0) fail("setns", path);
    close(fds[i]);
  }
  /* setns(mnt) put us at the container's root; make the root explicit for the builtins. */
  if (chdir("/") < 0 || chroot(".") < 0) fail("chroot", "/");
}

/* The namespaces are joined already; fork puts the child into the PID namespace. */
static pid_t fork_child(struct spec *spec) {
  (void)spec;
  pid_t pid = fork();
  if (pid < 0) report_error("fork", "-", errno);
  return pid;
}

static _Noreturn void child_main(struct spec *spec, int error_fd) {
  report_init(error_fd);
  cgroup_join(spec);
  signals_default();
  if (spec->tty) tty_attach(spec);
  if (!spec->builtin) identity_exec(spec);
  identity_apply(spec);
  if (!strcmp(spec->builtin, "copy-in")) tar_extract(0, "stdin");
  else tar_write(spec->argv[0]);
  _exit(0);
}

int exec_main(const char *control_socket, const char *join) {
  signal(SIGPIPE, SIG_IGN);
  int control = connect_control(control_socket);
  report_init(control);
  if (join) userns_join(join);  /* a view, rootless: its mount namespace belongs to the engine's user namespace */
  size_t len;
  char *raw = read_spec(control, &len);
  struct spec spec;
  const char *bad;
  if (spec_parse(raw, len, &spec, &bad) < 0 || !(spec.target_pid || spec.view)) {
    report_error("parse spec", spec.target_pid || spec.view ? bad : "(exec spec lacks exec.pid)", EINVAL);
    return 2;
  }
  cgroup_open(&spec);
  tty_prepare(&spec, control);  /* its relay stays out of the container's PID namespace */
  if (spec.view) rootfs_view(&spec);
  else join_container(spec.target_pid, spec.userns.enabled && !userns_joined());
  return run_child(control, &spec, fork_child, child_main);
}
