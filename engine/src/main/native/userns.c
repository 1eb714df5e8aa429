/*
 * The user namespace of an unprivileged launcher. The child is cloned into it and waits on a pipe while the launcher,
 * outside, writes its maps: through newuidmap/newgidmap (setuid, they check /etc/subuid and /etc/subgid) when the
 * user has subordinate ids, else directly, which the kernel allows for the user's own uid and gid only, after
 * setgroups is denied.
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
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
