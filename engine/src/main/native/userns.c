/*
 * The user namespace of an unprivileged engine. skiff-launcher userns CONTROL_SOCKET reads a spec of userns.* entries,
 * clones a child into a new user namespace and, while the child waits on a pipe, writes its maps from outside:
 * through newuidmap/newgidmap (setuid, they check /etc/subuid and /etc/subgid) when the user has subordinate ids, else
 * directly, which the kernel allows for the user's own uid and gid only, after setgroups is denied. It reports
 * "ready\tPID" (the child's) and the child holds the namespace until the socket reaches EOF: the JVM closed its
 * engine or died.
 *
 * Every other launcher of that engine starts with --userns=PID:INODE and joins it (userns_join): setns(CLONE_NEWUSER)
 * is allowed to an unprivileged process whose euid owns the namespace, and gives it every capability there. The
 * namespaces it then makes (network, mount, PID, ...) all belong to that one user namespace, so launchers can join
 * each other's network namespaces (veth pairs of container networks), and no launcher runs newuidmap any more.
 * Without --userns, a file task clones a user namespace of its own, mapped the same way (the engine is closed).
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int userns_maps_id(const struct id_range *ranges, size_t n, unsigned id) {
  for (size_t i = 0; i < n; i++) {
    if (id >= ranges[i].inside && id - ranges[i].inside < ranges[i].count) return 1;
  }
  return 0;
}

int userns_setgroups_denied(const struct userns *u) {
  return u->enabled && u->newgidmap == NULL;
}

static int write_file(pid_t pid, const char *name, const char *content) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write_all(fd, content, strlen(content)) < 0) {
    report_error("write", path, errno);
    if (fd >= 0) close(fd);
    return -1;
  }
  close(fd);
  return 0;
}

static int write_map_directly(pid_t pid, const char *name, const struct id_range *r, size_t n) {
  char map[64 * MAX_ID_RANGES];
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    o += (size_t)snprintf(map + o, sizeof map - o, "%u %u %u\n", r[i].inside, r[i].outside, r[i].count);
  }
  return write_file(pid, name, map);
}

/* Runs HELPER PID INSIDE OUTSIDE COUNT...; its complaint, if any, becomes the error's text. */
static int run_map_helper(const char *helper, pid_t pid, const struct id_range *r, size_t n) {
  char numbers[1 + 3 * MAX_ID_RANGES][16];
  char *argv[3 + 3 * MAX_ID_RANGES];
  size_t a = 0;
  argv[a++] = (char *)helper;
  snprintf(numbers[0], sizeof numbers[0], "%d", (int)pid);
  argv[a++] = numbers[0];
  for (size_t i = 0; i < n; i++) {
    unsigned v[3] = {r[i].inside, r[i].outside, r[i].count};
    for (int j = 0; j < 3; j++) {
      snprintf(numbers[1 + 3 * i + j], sizeof numbers[0], "%u", v[j]);
      argv[a++] = numbers[1 + 3 * i + j];
    }
  }
  argv[a] = NULL;
  int out[2];
  if (pipe2(out, O_CLOEXEC) < 0) {
    report_error("pipe2", helper, errno);
    return -1;
  }
  pid_t h = fork();
  if (h < 0) {
    report_error("fork", helper, errno);
    return -1;
  }
  if (h == 0) {
    dup2(out[1], 2);
    dup2(out[1], 1);
    char *env[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};
    execve(helper, argv, env);
    dprintf(2, "cannot execute %s: %s", helper, strerror(errno));
    _exit(127);
  }
  close(out[1]);
  char said[1024];
  size_t len = 0;
  for (ssize_t got; len < sizeof said - 1 && (got = read(out[0], said + len, sizeof said - 1 - len)) != 0; ) {
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) break;
    len += (size_t)got;
  }
  close(out[0]);
  said[len] = 0;
  while (len > 0 && (said[len - 1] == '\n' || said[len - 1] == ' ')) said[--len] = 0;
  int status;
  while (waitpid(h, &status, 0) < 0 && errno == EINTR) {}
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
  report_error(helper, len ? said : "(no message)", EPERM);
  return -1;
}

int userns_write_maps(pid_t child, const struct userns *u) {
  if (u->newuidmap) {
    if (run_map_helper(u->newuidmap, child, u->uids, u->n_uids) < 0) return -1;
  } else if (write_map_directly(child, "uid_map", u->uids, u->n_uids) < 0) {
    return -1;
  }
  if (u->newgidmap) return run_map_helper(u->newgidmap, child, u->gids, u->n_gids);
  if (write_file(child, "setgroups", "deny") < 0) return -1;
  return write_map_directly(child, "gid_map", u->gids, u->n_gids);
}

void userns_await_maps(int sync_fd) {
  char ok;
  ssize_t n;
  while ((n = read(sync_fd, &ok, 1)) < 0 && errno == EINTR) {}
  if (n != 1) _exit(1);  /* the launcher could not write the maps and has said why */
  close(sync_fd);
}

static int joined;

int userns_joined(void) { return joined; }

void userns_join(const char *holder) {
  char path[64], *end;
  unsigned long pid = strtoul(holder, &end, 10);
  unsigned long long inode = *end == ':' ? strtoull(end + 1, &end, 10) : 0;
  snprintf(path, sizeof path, "/proc/%lu/ns/user", pid);
  if (pid == 0 || inode == 0 || *end != 0) {
    errno = EINVAL;
    fail("parse --userns (PID:INODE)", holder);
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("open(the engine's user namespace)", path);  /* ENOENT: its holder is gone */
  struct stat st;
  if (fstat(fd, &st) < 0) fail("fstat", path);
  if ((unsigned long long)st.st_ino != inode) {
    errno = ESRCH;  /* the holder died and its pid was reused */
    fail("open(the engine's user namespace)", path);
  }
  if (setns(fd, CLONE_NEWUSER) < 0) fail("setns(CLONE_NEWUSER)", path);
  close(fd);
  joined = 1;
}

/* The holder's child: in the new user namespace once mapped; it only waits for the engine's end. */
static _Noreturn void hold(int sync_fd, int control, pid_t launcher) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != launcher) _exit(1);
  userns_await_maps(sync_fd);
  char buf[64];
  for (;;) {  /* the JVM sends nothing; EOF means the engine is closed or the JVM is gone */
    ssize_t n = read(control, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EINTR)) _exit(0);
  }
}

int userns_hold_main(const char *control_socket) {
  signal(SIGPIPE, SIG_IGN);
  int control = connect_control(control_socket);
  report_init(control);
  if (chdir("/") < 0) fail("chdir", "/");  /* hold no directory of the JVM's */
  size_t len;
  char *raw = read_spec(control, &len);
  struct spec spec;
  const char *bad;
  int parsed = spec_parse(raw, len, &spec, &bad) == 0;
  if (!parsed || spec.task != TASK_USERNS || !spec.userns.enabled) {
    report_error("parse spec", parsed ? "(the userns mode needs task=userns, userns.uid and userns.gid)" : bad, EINVAL);
    return 2;
  }
  int sync[2];
  if (pipe2(sync, O_CLOEXEC) < 0) fail("pipe2", "-");
  pid_t launcher = getpid();
  pid_t pid = clone_container(CLONE_NEWUSER);
  /* EPERM, ENOSPC or EUSERS here mostly mean that this host forbids unprivileged user namespaces. */
  if (pid < 0) fail("clone3", "user namespace");
  if (pid == 0) {
    close(sync[1]);
    hold(sync[0], control, launcher);
  }
  close(sync[0]);
  int mapped = userns_write_maps(pid, &spec.userns) == 0;
  if (mapped && write_all(sync[1], "1", 1) < 0) {
    report_error("write", "user namespace sync pipe", errno);
    mapped = 0;
  }
  if (!mapped) {
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
    return 1;
  }
  close(sync[1]);
  report_line("ready\t%d\n", (int)pid);
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  return 0;
}
