/*
 * The container spec arrives as NUL-terminated "key=value" entries. Repeated keys append (arg, env, group,
 * overlay.lower, publish, hostaccess, cgroup); "mount=bind|tmpfs" starts a mount that the following mount.* keys describe,
 * "network=NETNS_PATH" a network to join, whose "network.address=A.B.C.D/PREFIX" follows. "tty=1" gives the process
 * a pseudo-terminal, "tty.rows" and "tty.cols" its initial size.
 */
#include "launcher.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_id(const char *s, unsigned *out) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (*s == 0 || *end != 0 || v > 0xfffffffeUL) return -1;
  *out = (unsigned)v;
  return 0;
}

static int parse_port(const char *s, int *out) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*s == 0 || *end != 0 || v < 0 || v > 65535) return -1;
  *out = (int)v;
  return 0;
}

/* "tcp:CONTAINER_PORT:HOST_PORT" or "udp:...", HOST_PORT 0 for any free port. */
static int parse_publish(char *v, struct port_request *p) {
  char *c = strchr(v, ':'), *h = c ? strchr(c + 1, ':') : NULL;
  if (!h) return -1;
  *c = *h = 0;
  int ok = (!strcmp(v, "tcp") || !strcmp(v, "udp")) && !parse_port(c + 1, &p->container_port) &&
           p->container_port > 0 && !parse_port(h + 1, &p->host_port);
  p->udp = !strcmp(v, "udp");
  *c = *h = ':';
  return ok ? 0 : -1;
}

/* "INSIDE OUTSIDE COUNT", one line of a uid_map or gid_map. */
static int parse_range(const char *s, struct id_range *ranges, size_t *n) {
  if (*n == MAX_ID_RANGES) return -1;
  struct id_range r;
  char tail;
  if (sscanf(s, "%u %u %u%c", &r.inside, &r.outside, &r.count, &tail) != 3 || r.count == 0) return -1;
  ranges[(*n)++] = r;
  return 0;
}

static int parse_namespaces(const char *list) {
  int flags = 0;
  const char *p = list;
  while (*p) {
    size_t n = strcspn(p, ",");
    if (n == 3 && !strncmp(p, "pid", n)) flags |= CLONE_NEWPID;
    else if (n == 5 && !strncmp(p, "mount", n)) flags |= CLONE_NEWNS;
    else if (n == 3 && !strncmp(p, "uts", n)) flags |= CLONE_NEWUTS;
    else if (n == 3 && !strncmp(p, "ipc", n)) flags |= CLONE_NEWIPC;
    else if (n == 3 && !strncmp(p, "net", n)) flags |= CLONE_NEWNET;
    else if (n == 6 && !strncmp(p, "cgroup", n)) flags |= CLONE_NEWCGROUP;
    else return -1;
    p += n;
    if (*p == ',') p++;
  }
  return flags;
}

int spec_parse(char *buf, size_t len, struct spec *spec, const char **bad_entry) {
  size_t entries = 0;
  for (size_t i = 0; i < len; i++) entries += buf[i] == 0;
  if (len == 0 || buf[len - 1] != 0) {
    *bad_entry = "(spec does not end with NUL)";
    return -1;
  }
  memset(spec, 0, sizeof *spec);
  spec->uid = 0;
  spec->gid = 0;
  spec->clone_flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET;
  spec->lower = calloc(entries + 1, sizeof *spec->lower);
  spec->argv = calloc(entries + 1, sizeof *spec->argv);
  spec->env = calloc(entries + 1, sizeof *spec->env);
  spec->groups = calloc(entries + 1, sizeof *spec->groups);
  spec->mounts = calloc(entries + 1, sizeof *spec->mounts);
  spec->publish = calloc(entries + 1, sizeof *spec->publish);
  spec->host_access = calloc(entries + 1, sizeof *spec->host_access);
  spec->remove = calloc(entries + 1, sizeof *spec->remove);
  spec->chown = calloc(entries + 1, sizeof *spec->chown);
  spec->link_sources = calloc(entries + 1, sizeof *spec->link_sources);
  spec->link_targets = calloc(entries + 1, sizeof *spec->link_targets);
  spec->networks = calloc(entries + 1, sizeof *spec->networks);
  spec->cgroups = calloc(entries + 1, sizeof *spec->cgroups);
  if (!spec->lower || !spec->argv || !spec->env || !spec->groups || !spec->mounts || !spec->publish ||
      !spec->host_access || !spec->remove || !spec->chown || !spec->link_sources || !spec->link_targets ||
      !spec->networks || !spec->cgroups) {
    *bad_entry = "(out of memory)";
    return -1;
  }
  struct mount_request *m = NULL;
  struct network_request *net = NULL;
  for (char *e = buf, *next; e < buf + len; e = next) {
    next = e + strlen(e) + 1;
    char *eq = strchr(e, '=');
    *bad_entry = e;
    if (!eq) return -1;
    *eq = 0;
    const char *k = e, *v = eq + 1;
    unsigned id;
    if (!strcmp(k, "task") && !strcmp(v, "run")) spec->task = TASK_RUN;
    else if (!strcmp(k, "task") && !strcmp(v, "remove")) spec->task = TASK_REMOVE;
    else if (!strcmp(k, "task") && !strcmp(v, "chown")) spec->task = TASK_CHOWN;
    else if (!strcmp(k, "task") && !strcmp(v, "link")) spec->task = TASK_LINK;
    else if (!strcmp(k, "task") && !strcmp(v, "userns")) spec->task = TASK_USERNS;
    else if (!strcmp(k, "link.source")) spec->link_sources[spec->n_links] = v;
    else if (!strcmp(k, "link.target") && spec->link_sources[spec->n_links]) spec->link_targets[spec->n_links++] = v;
    else if (!strcmp(k, "userns.uid") && !parse_range(v, spec->userns.uids, &spec->userns.n_uids)) {
      spec->userns.enabled = 1;
    } else if (!strcmp(k, "userns.gid") && !parse_range(v, spec->userns.gids, &spec->userns.n_gids)) {
      spec->userns.enabled = 1;
    } else if (!strcmp(k, "userns.newuidmap")) spec->userns.newuidmap = v;
    else if (!strcmp(k, "userns.newgidmap")) spec->userns.newgidmap = v;
    else if (!strcmp(k, "remove")) spec->remove[spec->n_remove++] = v;
    else if (!strcmp(k, "chown.base")) spec->chown_base = v;
    else if (!strcmp(k, "chown")) spec->chown[spec->n_chown++] = (char *)v;
    else if (!strcmp(k, "rootfs")) spec->rootfs = v;
    else if (!strcmp(k, "overlay.base")) spec->overlay_base = v;
    else if (!strcmp(k, "overlay.lower")) spec->lower[spec->n_lower++] = v;
    else if (!strcmp(k, "overlay.upper")) spec->upper = v;
    else if (!strcmp(k, "overlay.work")) spec->work = v;
    else if (!strcmp(k, "exec.view") && !strcmp(v, "1")) spec->view = 1;
    else if (!strcmp(k, "hostname")) spec->hostname = v;
    else if (!strcmp(k, "arg")) spec->argv[spec->argc++] = (char *)v;
    else if (!strcmp(k, "env")) spec->env[spec->envc++] = (char *)v;
    else if (!strcmp(k, "cwd")) spec->cwd = v;
    else if (!strcmp(k, "uid") && !parse_id(v, &id)) spec->uid = id;
    else if (!strcmp(k, "gid") && !parse_id(v, &id)) spec->gid = id;
    else if (!strcmp(k, "group") && !parse_id(v, &id)) spec->groups[spec->n_groups++] = id;
    else if (!strcmp(k, "publish") && !parse_publish((char *)v, &spec->publish[spec->n_publish])) spec->n_publish++;
    else if (!strcmp(k, "hostaccess") && !parse_port(v, &spec->host_access[spec->n_host_access]) &&
             spec->host_access[spec->n_host_access] > 0) {
      spec->n_host_access++;
    } else if (!strcmp(k, "exec.pid") && !parse_id(v, &id) && id > 0) spec->target_pid = (pid_t)id;
    else if (!strcmp(k, "builtin") && (!strcmp(v, "copy-in") || !strcmp(v, "copy-out"))) spec->builtin = v;
    else if (!strcmp(k, "copyin")) spec->copy_in = v;
    else if (!strcmp(k, "init")) spec->init = !strcmp(v, "1");
    else if (!strcmp(k, "detached")) spec->detached = !strcmp(v, "1");
    else if (!strcmp(k, "exit.file")) spec->exit_file = v;
    else if (!strcmp(k, "cgroup") && v[0] == '/') spec->cgroups[spec->n_cgroups++] = v;
    else if (!strcmp(k, "tty")) spec->tty = !strcmp(v, "1");
    else if (!strcmp(k, "tty.rows") && !parse_port(v, &spec->tty_rows)) {  /* a winsize field: 0..65535 too */
    } else if (!strcmp(k, "tty.cols") && !parse_port(v, &spec->tty_cols)) {
    }
    else if (!strcmp(k, "namespaces") && (spec->clone_flags = parse_namespaces(v)) >= 0) {
    } else if (!strcmp(k, "mount") && (!strcmp(v, "bind") || !strcmp(v, "tmpfs"))) {
      m = &spec->mounts[spec->n_mounts++];
      m->kind = !strcmp(v, "bind") ? MOUNT_BIND : MOUNT_TMPFS;
      m->source_fd = -1;
    } else if (!strcmp(k, "network") && v[0] == '/') {
      net = &spec->networks[spec->n_networks++];
      net->netns = v;
    } else if (net && !strcmp(k, "network.address") && !network_parse_address(v, net)) {
    } else if (m && !strcmp(k, "mount.source")) m->source = v;
    else if (m && !strcmp(k, "mount.target")) m->target = v;
    else if (m && !strcmp(k, "mount.data")) m->data = v;
    else if (m && !strcmp(k, "mount.readonly")) m->read_only = !strcmp(v, "1");
    else {
      *eq = '='; /* show the whole entry in the error */
      return -1;
    }
  }
  for (size_t i = 0; i < spec->n_mounts; i++) {
    struct mount_request *r = &spec->mounts[i];
    if (!r->target || r->target[0] != '/' || (r->kind == MOUNT_BIND && !r->source)) {
      *bad_entry = "(mount without mount.target, or bind mount without mount.source)";
      return -1;
    }
  }
  for (size_t i = 0; i < spec->n_networks; i++) {
    if (!spec->networks[i].prefix) {
      *bad_entry = "(network without network.address)";
      return -1;
    }
  }
  if (spec->userns.enabled && (spec->userns.n_uids == 0 || spec->userns.n_gids == 0)) {
    *bad_entry = "(userns.uid without userns.gid, or the reverse)";
    return -1;
  }
  if (spec->task == TASK_LINK && spec->link_sources[spec->n_links]) {
    *bad_entry = "(link.source without link.target)";
    return -1;
  }
  if (spec->task == TASK_CHOWN && !spec->chown_base) {
    *bad_entry = "(task=chown without chown.base)";
    return -1;
  }
  if (spec->task != TASK_RUN) return 0;
  if (spec->tty && spec->builtin) {
    *bad_entry = "(tty=1 with a builtin)";
    return -1;
  }
  if (spec->view) {
    if (spec->target_pid || !spec->builtin || strcmp(spec->builtin, "copy-out") || spec->argc == 0 ||
        !spec->rootfs || !spec->n_lower || !spec->overlay_base || spec->upper || spec->work) {
      *bad_entry = "(exec.view is for copy-out from rootfs and overlay.lower alone)";
      return -1;
    }
  } else if (spec->target_pid) {
    if (spec->argc == 0 && !(spec->builtin && !strcmp(spec->builtin, "copy-in"))) {
      *bad_entry = "(exec spec lacks arg)";
      return -1;
    }
  } else if (!spec->rootfs || spec->argc == 0 ||
             (spec->n_lower && (!spec->upper || !spec->work || !spec->overlay_base))) {
    *bad_entry = "(spec lacks rootfs, arg, or overlay.upper/work/base)";
    return -1;
  }
  if (!spec->cwd) spec->cwd = "/";
  return 0;
}
