/*
 * Joining the container's cgroups, which the JVM made and wrote the limits into: the launcher opens each cgroup.procs
 * before the child exists (while the host's cgroup file systems are in reach); the child writes "0" (itself) into
 * them first thing, so PID 1 and all it starts are limited before the user's command runs.
 */
#include "launcher.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void cgroup_open(struct spec *spec) {
  if (spec->n_cgroups == 0) return;
  spec->cgroup_fds = malloc(spec->n_cgroups * sizeof *spec->cgroup_fds);
  if (!spec->cgroup_fds) fail("malloc(cgroups)", "-");
  for (size_t i = 0; i < spec->n_cgroups; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/cgroup.procs", spec->cgroups[i]);
    spec->cgroup_fds[i] = open(path, O_WRONLY | O_CLOEXEC);
    if (spec->cgroup_fds[i] < 0) fail("open", path);
  }
}

void cgroup_join(const struct spec *spec) {
  for (size_t i = 0; i < spec->n_cgroups; i++) {
    if (write(spec->cgroup_fds[i], "0", 1) != 1) {
      char path[4096];
      snprintf(path, sizeof path, "%s/cgroup.procs", spec->cgroups[i]);
      fail("write", path);
    }
    close(spec->cgroup_fds[i]);
  }
}
