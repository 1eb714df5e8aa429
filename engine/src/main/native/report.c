/* Lines to the JVM: "error\tCALL\tPATH\tERRNO\tMESSAGE", "started\tPID", "exited\tCODE", "killed\tSIGNAL". */
#include "launcher.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int out_fd = 2;

void report_init(int fd) { out_fd = fd; }

int report_fd(void) { return out_fd; }

int write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Paths come from images and users: escape what would break the line format. */
static size_t escape(char *out, size_t cap, const char *in) {
  size_t o = 0;
  for (const unsigned char *p = (const unsigned char *)in; *p && o + 4 < cap; p++) {
    if (*p < 0x20 || *p == '%' || *p == 0x7f) {
      o += (size_t)snprintf(out + o, cap - o, "%%%02X", *p);
    } else {
      out[o++] = (char)*p;
    }
  }
  out[o] = 0;
  return o;
}

void report_error(const char *call, const char *path, int err) {
  char escaped[2048];
  char line[4096];
  escape(escaped, sizeof escaped, path && *path ? path : "-");
  int n = snprintf(line, sizeof line, "error\t%s\t%s\t%d\t%s\n", call, escaped, err, strerror(err));
  if (n > (int)sizeof line - 1) {
    n = sizeof line - 1;
    line[n - 1] = '\n';
  }
  write_all(out_fd, line, (size_t)n);
}

void report_line(const char *fmt, ...) {
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n > 0) write_all(out_fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

_Noreturn void fail(const char *call, const char *path) {
  report_error(call, path, errno);
  _exit(127);
}
