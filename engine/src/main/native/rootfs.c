/*
 * The container's file system, built inside its own mount namespace so that every mount vanishes with it.
 * Host paths are cloned into detached mounts (open_tree) before pivot_root and attached afterwards (move_mount),
 * so no path from the image can resolve outside the container root.
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *const DEVICES[] = {"null", "zero", "full", "random", "urandom", "tty"};
#define N_DEVICES (sizeof DEVICES / sizeof DEVICES[0])
static int device_fds[N_DEVICES];
/* proc and sysfs, made while the host's are still visible: a user namespace may not mount them afterwards. */
static int proc_fd = -1, sys_fd = -1;
static int sys_is_host_bind;

/* Docker's defaults: hidden entirely, or visible read-only. */
static const char *const MASKED[] = {
    "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
    "/sys/devices/virtual/powercap"};
static const char *const READ_ONLY[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};

void mkdir_p(const char *path, mode_t mode) {
  char buf[4096];
  size_t len = strlen(path);
  if (len >= sizeof buf) {
    errno = ENAMETOOLONG;
    fail("mkdir", path);
  }
  memcpy(buf, path, len + 1);
  for (char *p = buf + 1; ; p++) {
    if (*p == '/' || *p == 0) {
      char saved = *p;
      *p = 0;
      if (mkdir(buf, mode) < 0 && errno != EEXIST) fail("mkdir", buf);
      *p = saved;
      if (saved == 0) break;
    }
  }
}

static void do_mount(const char *source, const char *target, const char *type, unsigned long flags,
                     const char *data) {
  if (mount(source, target, type, flags, data) < 0) fail(type ? type : "mount", target);
}

#ifndef SYS_open_tree
#define SYS_open_tree 428
#define SYS_move_mount 429
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#define SYS_fsconfig 431
#define SYS_fsmount 432
#endif
#define FSOPEN_CLOEXEC 1
#define FSCONFIG_CMD_CREATE 6
#define FSMOUNT_CLOEXEC 1
#define MOUNT_ATTR_RDONLY 0x1
#define MOUNT_ATTR_NOSUID 0x2
#define MOUNT_ATTR_NODEV 0x4
#define MOUNT_ATTR_NOEXEC 0x8
#define OPEN_TREE_CLONE 1
#define AT_RECURSIVE 0x8000
#define MOVE_MOUNT_F_EMPTY_PATH 0x4

static int clone_tree(const char *path) {
  int fd = (int)syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | O_CLOEXEC | AT_RECURSIVE);
  if (fd < 0) fail("open_tree", path);
  return fd;
}

/* A bind mount cannot become read-only in one call; the remount must keep the flags the kernel locked. */
static void remount_read_only(const char *target) {
  struct statvfs sv;
  if (statvfs(target, &sv) < 0) fail("statvfs", target);
  unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;
  if (sv.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  do_mount(NULL, target, NULL, flags, NULL);
}

static void create_file(const char *path) {
  int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) fail("open(O_CREAT)", path);
  close(fd);
}

static void attach_tree(int fd, const char *target, int read_only) {
  if (syscall(SYS_move_mount, fd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0) fail("move_mount", target);
  close(fd);
  if (read_only) remount_read_only(target);
}

/* A new, detached instance of FSTYPE for the current namespaces; -1 with errno when the kernel refuses. */
static int new_detached_mount(const char *fstype, unsigned attributes) {
  int fs = (int)syscall(SYS_fsopen, fstype, FSOPEN_CLOEXEC);
  if (fs < 0) return -1;
  int m = -1;
  if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0) {
    m = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, attributes);
  }
  int saved = errno;
  close(fs);
  errno = saved;
  return m;
}

void rootfs_open_sources(struct spec *spec) {
  unsigned hardened = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
  proc_fd = new_detached_mount("proc", hardened);
  if (proc_fd < 0) fail("fsmount(proc)", "/proc");
  sys_fd = new_detached_mount("sysfs", hardened | MOUNT_ATTR_RDONLY);
  if (sys_fd < 0 && errno == EPERM) {  /* a user namespace that does not own the network namespace */
    sys_fd = clone_tree("/sys");
    sys_is_host_bind = 1;
  } else if (sys_fd < 0) {
    fail("fsmount(sysfs)", "/sys");
  }
  for (size_t i = 0; i < N_DEVICES; i++) {
    char path[32];
    snprintf(path, sizeof path, "/dev/%s", DEVICES[i]);
    device_fds[i] = clone_tree(path);
  }
  for (size_t i = 0; i < spec->n_mounts; i++) {
    struct mount_request *m = &spec->mounts[i];
    if (m->kind == MOUNT_BIND) m->source_fd = clone_tree(m->source);
  }
}

/* Appends to overlay mount data; separators inside paths are escaped. Returns -1 once it does not fit. */
static int append(char *out, size_t *o, size_t cap, const char *s, int escape) {
  for (; *s; s++) {
    if (escape && (*s == ':' || *s == ',' || *s == '\\')) {
      if (*o + 1 >= cap) return -1;
      out[(*o)++] = '\\';
    }
    if (*o + 1 >= cap) return -1;
    out[(*o)++] = *s;
  }
  out[*o] = 0;
  return 0;
}

static void mount_overlay(const struct spec *spec) {
  char data[4096];
  size_t o = 0;
  int bad = append(data, &o, sizeof data, "lowerdir=", 0);
  for (size_t i = 0; i < spec->n_lower; i++) {
    if (i) bad |= append(data, &o, sizeof data, ":", 0);
    bad |= append(data, &o, sizeof data, spec->lower[i], 1);
  }
  if (spec->upper) {  /* else a read-only overlay of lower layers alone */
    bad |= append(data, &o, sizeof data, ",upperdir=", 0);
    bad |= append(data, &o, sizeof data, spec->upper, 1);
    bad |= append(data, &o, sizeof data, ",workdir=", 0);
    bad |= append(data, &o, sizeof data, spec->work, 1);
  }
  /* In a user namespace overlay keeps whiteouts and opaque markers in user.overlay.* xattrs. */
  if (spec->userns.enabled) bad |= append(data, &o, sizeof data, ",userxattr", 0);
  if (bad) {
    errno = E2BIG;  /* one page of mount data: too many layers for this kernel interface */
    fail("mount(overlay) data", spec->rootfs);
  }
  if (chdir(spec->overlay_base) < 0) fail("chdir", spec->overlay_base);
  unsigned long flags = spec->upper ? 0 : MS_RDONLY;
  if (mount("overlay", spec->rootfs, "overlay", flags, data) < 0) fail("mount(overlay)", spec->rootfs);
}

void rootfs_enter(const struct spec *spec) {
  /* Nothing we mount may propagate back to the host. */
  do_mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
  if (spec->n_lower) {
    mount_overlay(spec);
  } else {
    do_mount(spec->rootfs, spec->rootfs, NULL, MS_BIND | MS_REC, NULL);
  }
  if (chdir(spec->rootfs) < 0) fail("chdir", spec->rootfs);
  /* pivot_root(".", ".") stacks the old root on the new one; detaching it leaves only the container's. */
  if (syscall(SYS_pivot_root, ".", ".") < 0) fail("pivot_root", spec->rootfs);
  if (umount2(".", MNT_DETACH) < 0) fail("umount2(old root)", spec->rootfs);
  if (chdir("/") < 0) fail("chdir", "/");
}

/*
 * A container that does not run, seen in a mount namespace of this process's own: its upper dir as the top lower
 * layer of a read-only overlay (no work dir, and nothing the container's own launcher may still hold), then chroot.
 */
void rootfs_view(const struct spec *spec) {
  if (unshare(CLONE_NEWNS) < 0) fail("unshare(CLONE_NEWNS)", spec->rootfs);
  do_mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
  mount_overlay(spec);
  if (chdir(spec->rootfs) < 0) fail("chdir", spec->rootfs);
  if (chroot(".") < 0) fail("chroot", spec->rootfs);
}

static void populate_dev(const struct spec *spec) {
  mkdir_p("/dev", 0755);
  do_mount("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
  for (size_t i = 0; i < N_DEVICES; i++) {
    char path[32];
    snprintf(path, sizeof path, "/dev/%s", DEVICES[i]);
    create_file(path);
    attach_tree(device_fds[i], path, 0);
  }
  mkdir_p("/dev/pts", 0755);
  /* gid 5 (tty) owns the terminals, unless a user namespace leaves it unmapped. */
  int tty_mapped = !spec->userns.enabled || userns_maps_id(spec->userns.gids, spec->userns.n_gids, 5);
  do_mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
           tty_mapped ? "newinstance,ptmxmode=0666,mode=0620,gid=5" : "newinstance,ptmxmode=0666,mode=0620");
  if (symlink("pts/ptmx", "/dev/ptmx") < 0) fail("symlink", "/dev/ptmx");
  mkdir_p("/dev/shm", 01777);
  do_mount("shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
  mkdir_p("/dev/mqueue", 0755);
  do_mount("mqueue", "/dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  static const char *const LINKS[][2] = {
      {"/proc/self/fd", "/dev/fd"}, {"/proc/self/fd/0", "/dev/stdin"},
      {"/proc/self/fd/1", "/dev/stdout"}, {"/proc/self/fd/2", "/dev/stderr"}};
  for (size_t i = 0; i < sizeof LINKS / sizeof LINKS[0]; i++) {
    if (symlink(LINKS[i][0], LINKS[i][1]) < 0) fail("symlink", LINKS[i][1]);
  }
}

static void parent_dir(const char *path, char *out, size_t cap) {
  snprintf(out, cap, "%s", path);
  char *slash = strrchr(out, '/');
  if (slash && slash != out) *slash = 0;
  else snprintf(out, cap, "/");
}

static void add_mount(const struct mount_request *m) {
  if (m->kind == MOUNT_TMPFS) {
    mkdir_p(m->target, 0755);
    unsigned long flags = MS_NOSUID | MS_NODEV | (m->read_only ? MS_RDONLY : 0);
    do_mount("tmpfs", m->target, "tmpfs", flags, m->data);
    return;
  }
  struct stat st;
  if (fstat(m->source_fd, &st) < 0) fail("fstat", m->source);
  if (S_ISDIR(st.st_mode)) {
    mkdir_p(m->target, 0755);
  } else {
    char dir[4096];
    parent_dir(m->target, dir, sizeof dir);
    mkdir_p(dir, 0755);
    struct stat existing;
    if (stat(m->target, &existing) < 0) create_file(m->target);
  }
  attach_tree(m->source_fd, m->target, m->read_only);
}

static void mask_paths(void) {
  for (size_t i = 0; i < sizeof MASKED / sizeof MASKED[0]; i++) {
    struct stat st;
    if (stat(MASKED[i], &st) < 0) continue;  /* this kernel has no such entry */
    if (S_ISDIR(st.st_mode)) {
      do_mount("tmpfs", MASKED[i], "tmpfs", MS_RDONLY, "size=0");
    } else {
      do_mount("/dev/null", MASKED[i], NULL, MS_BIND, NULL);
    }
  }
  for (size_t i = 0; i < sizeof READ_ONLY / sizeof READ_ONLY[0]; i++) {
    struct stat st;
    if (stat(READ_ONLY[i], &st) < 0) continue;
    do_mount(READ_ONLY[i], READ_ONLY[i], NULL, MS_BIND | MS_REC, NULL);
    remount_read_only(READ_ONLY[i]);
  }
}

void rootfs_populate(struct spec *spec) {
  mkdir_p("/proc", 0555);
  attach_tree(proc_fd, "/proc", 0);
  mkdir_p("/sys", 0555);
  attach_tree(sys_fd, "/sys", sys_is_host_bind);
  trace("proc+sys");
  populate_dev(spec);
  trace("dev");
  for (size_t i = 0; i < spec->n_mounts; i++) add_mount(&spec->mounts[i]);
  trace("mounts");
  mask_paths();
  mkdir_p(spec->cwd, 0755);
}
