/* Lines to the JVM: "error\tCALL\tPATH\tERRNO\tMESSAGE", "started\tPID", "exited\tCODE", "killed\tSIGNAL". */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

static int trace_fd = -1;

void trace_init(void) {
  const char *path = getenv("SKIFF_TRACE");
  if (path && *path) trace_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

/* "NANOS launcher.WHAT PID" on CLOCK_MONOTONIC, the JVM's System.nanoTime() clock: one timeline with its marks. */
void trace(const char *what) {
  if (trace_fd < 0) return;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  char line[128];
  int n = snprintf(line, sizeof line, "%lld launcher.%s %d\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec, what,
                   (int)getpid());
  if (n > 0 && n < (int)sizeof line) write_all(trace_fd, line, (size_t)n);
}
