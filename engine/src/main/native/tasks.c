/*
 * File work in the user namespace, where the user's subordinate ids are mapped and root's capabilities apply to
 * files they own: an unprivileged user cannot delete or chown such files from outside.
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08

struct open_how_v0 {
  uint64_t flags, mode, resolve;
};

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  (void)ftw;
  int r = (type == FTW_DP || type == FTW_D) ? rmdir(path) : unlink(path);
  if (r < 0 && errno != ENOENT) fail(type == FTW_DP ? "rmdir" : "unlink", path);
  return 0;
}

_Noreturn void task_remove(const struct spec *spec) {
  for (size_t i = 0; i < spec->n_remove; i++) {
    struct stat st;
    if (lstat(spec->remove[i], &st) < 0) {
      if (errno == ENOENT) continue;
      fail("lstat", spec->remove[i]);
    }
    if (nftw(spec->remove[i], remove_entry, 64, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT) {
      fail("nftw", spec->remove[i]);
    }
  }
  _exit(0);
}

/* The directory holding PATH, opened without following any symlink and without leaving base. */
static int open_parent(int base, char *path, const char **name) {
  char *slash = strrchr(path, '/');
  if (!slash) {
    *name = path;
    return dup(base);
  }
  *slash = 0;
  *name = slash + 1;
  struct open_how_v0 how = {O_PATH | O_DIRECTORY | O_CLOEXEC, 0,
                            RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
  int fd = (int)syscall(SYS_openat2, base, path, &how, sizeof how);
  if (fd < 0) fail("openat2", path);
  *slash = '/';
  return fd;
}

/* chown clears setuid and setgid bits, so the entry's mode is set again afterwards (symlinks have none). */
_Noreturn void task_chown(const struct spec *spec) {
  int base = open(spec->chown_base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (base < 0) fail("open", spec->chown_base);
  for (size_t i = 0; i < spec->n_chown; i++) {
    char *e = spec->chown[i];
    unsigned long uid, gid, mode;
    char *p = e;
    uid = strtoul(p, &p, 10);
    if (*p++ != ':') goto bad;
    gid = strtoul(p, &p, 10);
    if (*p++ != ':') goto bad;
    mode = strtoul(p, &p, 8);
    if (*p++ != ':') goto bad;
    if (*p == 0) {
      if (fchown(base, (uid_t)uid, (gid_t)gid) < 0) fail("fchown", spec->chown_base);
      if (fchmod(base, (mode_t)mode) < 0) fail("fchmod", spec->chown_base);
      continue;
    }
    const char *name;
    int dir = open_parent(base, p, &name);
    if (fchownat(dir, name, (uid_t)uid, (gid_t)gid, AT_SYMLINK_NOFOLLOW) < 0) fail("fchownat", p);
    struct stat st;
    if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) fail("fstatat", p);
    if (!S_ISLNK(st.st_mode) && fchmodat(dir, name, (mode_t)mode, 0) < 0) fail("fchmodat", p);
    close(dir);
    continue;
  bad:
    errno = EINVAL;
    fail("parse chown entry", e);
  }
  _exit(0);
}

/* Hard links need ownership of the file or CAP_FOWNER over it (fs.protected_hardlinks), which root has here. */
_Noreturn void task_link(const struct spec *spec) {
  for (size_t i = 0; i < spec->n_links; i++) {
    if (linkat(AT_FDCWD, spec->link_sources[i], AT_FDCWD, spec->link_targets[i], 0) < 0) {
      fail("linkat", spec->link_targets[i]);
    }
  }
  _exit(0);
}
