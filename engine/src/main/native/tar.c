/*
 * Archives for copying into and out of a container: ustar headers, pax records for long names and big sizes.
 * Both run inside the container's root (chroot), so every path, symlinks included, resolves in the container.
 */
#include "launcher.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK 512
#define MAX_PATH 4096

struct header {
  char name[100], mode[8], uid[8], gid[8], size[12], mtime[12], chksum[8], type, linkname[100];
  char magic[6], version[2], uname[32], gname[32], devmajor[8], devminor[8], prefix[155], pad[12];
};

struct entry {
  char path[MAX_PATH], link[MAX_PATH];
  uint64_t size;
  long long mtime;
  unsigned mode, uid, gid;
  char type;
};

static int read_block(int fd, char *buf) {
  size_t got = 0;
  while (got < BLOCK) {
    ssize_t n = read(fd, buf + got, BLOCK - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) return got == 0 ? 0 : -1;
    got += (size_t)n;
  }
  return 1;
}

/* Octal, or base-256 when the first byte has its high bit set. */
static uint64_t number(const char *field, size_t len) {
  uint64_t v = 0;
  if ((unsigned char)field[0] & 0x80) {
    v = (unsigned char)field[0] & 0x7f;
    for (size_t i = 1; i < len; i++) v = (v << 8) | (unsigned char)field[i];
    return v;
  }
  for (size_t i = 0; i < len && field[i]; i++) {
    if (field[i] >= '0' && field[i] <= '7') v = v * 8 + (uint64_t)(field[i] - '0');
  }
  return v;
}

static void copy_field(char *out, const char *field, size_t len) {
  memcpy(out, field, len);
  out[len] = 0;
}

/* Reads a pax extended header's "LEN key=value\n" records into the next entry. */
static void read_pax(int fd, uint64_t size, struct entry *e, const char *what) {
  char *buf = malloc(size + 1);
  if (!buf) fail("malloc(pax header)", what);
  char block[BLOCK];
  for (uint64_t off = 0; off < size; off += BLOCK) {
    if (read_block(fd, block) != 1) {
      errno = EIO;
      fail("read(pax header)", what);
    }
    memcpy(buf + off, block, size - off < BLOCK ? size - off : BLOCK);
  }
  buf[size] = 0;
  for (char *p = buf; p < buf + size;) {
    char *end;
    unsigned long n = strtoul(p, &end, 10);
    if (n == 0 || *end != ' ' || p + n > buf + size) break;
    char *key = end + 1, *eq = memchr(key, '=', (size_t)(p + n - key));
    if (eq) {
      *eq = 0;
      p[n - 1] = 0;
      const char *v = eq + 1;
      if (!strcmp(key, "path")) snprintf(e->path, sizeof e->path, "%s", v);
      else if (!strcmp(key, "linkpath")) snprintf(e->link, sizeof e->link, "%s", v);
      else if (!strcmp(key, "size")) e->size = strtoull(v, NULL, 10);
    }
    p += n;
  }
  free(buf);
}

/* "a/./b", "/a" and "./a" are "a/b" and "a"; ".." could leave the destination, so it is refused. */
static void clean_path(char *path) {
  char out[MAX_PATH];
  size_t o = 0;
  for (char *p = path; *p;) {
    size_t n = strcspn(p, "/");
    if (n == 2 && !strncmp(p, "..", 2)) {
      errno = EINVAL;
      fail("tar entry with '..'", path);
    }
    if (n > 0 && !(n == 1 && *p == '.')) {
      if (o) out[o++] = '/';
      memcpy(out + o, p, n);
      o += n;
    }
    p += n;
    if (*p == '/') p++;
  }
  out[o] = 0;
  memcpy(path, out, o + 1);
}

static void parent_of(const char *path, char *out) {
  snprintf(out, MAX_PATH, "%s", path);
  char *slash = strrchr(out, '/');
  if (slash) *slash = 0;
  else out[0] = 0;
}

/* Makes room for a new non-directory entry: whatever is there goes, unless it is a directory. */
static void clear_target(const char *path) {
  if (unlink(path) < 0 && errno != ENOENT) fail("unlink", path);
}

static void apply_owner_mode_time(int fd, const char *path, const struct entry *e) {
  struct timespec times[2] = {{e->mtime, 0}, {e->mtime, 0}};
  if (e->type == '2') {
    if (lchown(path, e->uid, e->gid) < 0) fail("lchown", path);
    utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW);
    return;
  }
  /* chown clears set-id bits, so the mode comes after it. */
  if (fd >= 0 ? fchown(fd, e->uid, e->gid) : chown(path, e->uid, e->gid)) fail("chown", path);
  if (fd >= 0 ? fchmod(fd, e->mode & 07777) : chmod(path, e->mode & 07777)) fail("chmod", path);
  if (fd >= 0) futimens(fd, times);
  else utimensat(AT_FDCWD, path, times, 0);
}

static void extract_file(int in, const struct entry *e, const char *what) {
  clear_target(e->path);
  int out = open(e->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (out < 0) fail("open(O_CREAT)", e->path);
  char block[BLOCK];
  for (uint64_t left = e->size; left > 0;) {
    if (read_block(in, block) != 1) {
      errno = EIO;
      fail("read(tar data)", what);
    }
    size_t n = left < BLOCK ? (size_t)left : BLOCK;
    if (write_all(out, block, n) < 0) fail("write", e->path);
    left -= n;
  }
  apply_owner_mode_time(out, e->path, e);
  close(out);
}

static void skip_data(int in, uint64_t size, const char *what) {
  char block[BLOCK];
  for (uint64_t left = size; left > 0; left -= left < BLOCK ? left : BLOCK) {
    if (read_block(in, block) != 1) {
      errno = EIO;
      fail("read(tar data)", what);
    }
  }
}

void tar_extract(int fd, const char *what) {
  if (chdir("/") < 0) fail("chdir", "/");
  char block[BLOCK];
  struct entry e;
  memset(&e, 0, sizeof e);
  int zero_blocks = 0;
  for (;;) {
    int r = read_block(fd, block);
    if (r == 0) break;
    if (r < 0) {
      errno = EIO;
      fail("read(tar header)", what);
    }
    const struct header *h = (const struct header *)block;
    if (h->name[0] == 0) {
      if (++zero_blocks == 2) break;
      continue;
    }
    zero_blocks = 0;
    uint64_t size = number(h->size, sizeof h->size);
    if (h->type == 'x') {
      read_pax(fd, size, &e, what);
      continue;
    }
    if (h->type == 'g') {
      skip_data(fd, size, what);
      continue;
    }
    if (!e.path[0]) {
      char name[101], prefix[156];
      copy_field(name, h->name, sizeof h->name);
      copy_field(prefix, h->prefix, sizeof h->prefix);
      snprintf(e.path, sizeof e.path, "%s%s%s", prefix, prefix[0] ? "/" : "", name);
    }
    if (!e.link[0]) copy_field(e.link, h->linkname, sizeof h->linkname);
    if (!e.size) e.size = size;
    e.mode = (unsigned)number(h->mode, sizeof h->mode);
    e.uid = (unsigned)number(h->uid, sizeof h->uid);
    e.gid = (unsigned)number(h->gid, sizeof h->gid);
    e.mtime = (long long)number(h->mtime, sizeof h->mtime);
    e.type = h->type ? h->type : '0';
    clean_path(e.path);
    if (e.path[0]) {
      char parent[MAX_PATH];
      parent_of(e.path, parent);
      if (parent[0]) mkdir_p(parent, 0755);
    }
    switch (e.type) {
      case '0':
      case '7':
        extract_file(fd, &e, what);
        e.size = 0;
        break;
      case '5':
        if (e.path[0] && mkdir(e.path, 0700) < 0 && errno != EEXIST) fail("mkdir", e.path);
        apply_owner_mode_time(-1, e.path[0] ? e.path : "/", &e);
        break;
      case '2':
        clear_target(e.path);
        if (symlink(e.link, e.path) < 0) fail("symlink", e.path);
        apply_owner_mode_time(-1, e.path, &e);
        break;
      case '1':
        clean_path(e.link);
        clear_target(e.path);
        if (link(e.link, e.path) < 0) fail("link", e.path);
        break;
      default:  /* devices and fifos are not copied */
        break;
    }
    skip_data(fd, e.size, what);
    memset(&e, 0, sizeof e);
  }
}

/* ---- writing ---- */

/* len - 1 zero-padded octal digits and a NUL; larger values travel in pax records. */
static void octal(char *field, size_t len, uint64_t v) {
  field[len - 1] = 0;
  for (size_t i = len - 1; i-- > 0; v >>= 3) field[i] = (char)('0' + (v & 7));
}

static void emit(const char *buf, size_t len) {
  if (write_all(1, buf, len) < 0) fail("write", "stdout");
}

static void pad_to_block(uint64_t size) {
  static const char zeros[BLOCK];
  if (size % BLOCK) emit(zeros, BLOCK - size % BLOCK);
}

static void pax_record(char *out, size_t *o, size_t cap, const char *key, const char *value) {
  size_t body = strlen(key) + strlen(value) + 3;  /* " " "=" "\n" */
  size_t digits = 1, total;
  for (;;) {
    total = body + digits;
    size_t d = (size_t)snprintf(NULL, 0, "%zu", total);
    if (d == digits) break;
    digits = d;
  }
  if (*o + total < cap) *o += (size_t)snprintf(out + *o, cap - *o, "%zu %s=%s\n", total, key, value);
}

static void write_header(const char *name, const char *link, const struct stat *st, char type, uint64_t size) {
  char pax[3 * MAX_PATH];
  size_t p = 0;
  if (strlen(name) > 99) pax_record(pax, &p, sizeof pax, "path", name);
  if (strlen(link) > 99) pax_record(pax, &p, sizeof pax, "linkpath", link);
  char digits[24];
  snprintf(digits, sizeof digits, "%llu", (unsigned long long)size);
  if (size > 077777777777ULL) pax_record(pax, &p, sizeof pax, "size", digits);
  if (p > 0) {
    struct stat none;
    memset(&none, 0, sizeof none);
    none.st_mode = 0644;
    write_header("././@PaxHeader", "", &none, 'x', p);
    emit(pax, p);
    pad_to_block(p);
  }
  struct header h;
  memset(&h, 0, sizeof h);
  snprintf(h.name, sizeof h.name, "%s", name);
  snprintf(h.linkname, sizeof h.linkname, "%s", link);
  octal(h.mode, sizeof h.mode, st->st_mode & 07777);
  octal(h.uid, sizeof h.uid, st->st_uid & 07777777);
  octal(h.gid, sizeof h.gid, st->st_gid & 07777777);
  octal(h.size, sizeof h.size, size > 077777777777ULL ? 0 : size);
  octal(h.mtime, sizeof h.mtime, st->st_mtime > 0 ? (uint64_t)st->st_mtime : 0);
  h.type = type;
  memcpy(h.magic, "ustar", 6);
  memcpy(h.version, "00", 2);
  memset(h.chksum, ' ', sizeof h.chksum);
  unsigned sum = 0;
  for (size_t i = 0; i < sizeof h; i++) sum += ((unsigned char *)&h)[i];
  snprintf(h.chksum, sizeof h.chksum, "%06o", sum);
  emit((const char *)&h, sizeof h);
}

static void write_file(const char *path, const char *name, const struct stat *st) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) fail("open", path);
  uint64_t size = (uint64_t)st->st_size;
  write_header(name, "", st, '0', size);
  char buf[65536];
  uint64_t done = 0;
  while (done < size) {
    ssize_t n = read(fd, buf, size - done < sizeof buf ? (size_t)(size - done) : sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("read", path);
    if (n == 0) {  /* it shrank while copied: the header promised size bytes */
      memset(buf, 0, sizeof buf);
      n = size - done < sizeof buf ? (ssize_t)(size - done) : (ssize_t)sizeof buf;
    }
    emit(buf, (size_t)n);
    done += (uint64_t)n;
  }
  pad_to_block(size);
  close(fd);
}

static void write_tree(const char *path, const char *name, int follow) {
  struct stat st;
  if ((follow ? stat(path, &st) : lstat(path, &st)) < 0) fail("stat", path);
  if (S_ISREG(st.st_mode)) {
    write_file(path, name, &st);
  } else if (S_ISLNK(st.st_mode)) {
    char target[MAX_PATH];
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n < 0) fail("readlink", path);
    target[n] = 0;
    write_header(name, target, &st, '2', 0);
  } else if (S_ISDIR(st.st_mode)) {
    write_header(name, "", &st, '5', 0);
    DIR *d = opendir(path);
    if (!d) fail("opendir", path);
    struct dirent *de;
    while ((de = readdir(d))) {
      if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
      char child[MAX_PATH], child_name[MAX_PATH];
      if (snprintf(child, sizeof child, "%s/%s", path, de->d_name) >= (int)sizeof child ||
          snprintf(child_name, sizeof child_name, "%s/%s", name, de->d_name) >= (int)sizeof child_name) {
        errno = ENAMETOOLONG;
        fail("opendir", path);
      }
      write_tree(child, child_name, 0);
    }
    closedir(d);
  }  /* devices, fifos and sockets are not copied */
}

void tar_write(const char *path) {
  if (chdir("/") < 0) fail("chdir", "/");
  write_tree(path, ".", 1);
  static const char end[2 * BLOCK];
  emit(end, sizeof end);
}
