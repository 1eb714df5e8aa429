/*
 * skiff-launcher [--userns=PID:INODE] serve CONTROL_SOCKET: forks container launchers for one engine, so that a
 * container start costs a fork of this small process instead of the JVM's ProcessBuilder (a jspawnhelper and two
 * execs). Requests on the socket, one per line:
 *   "spawn SOCKET"  hands SOCKET to the spare launcher, forked ahead, which then runs as "skiff-launcher SOCKET"
 *                   (stdin /dev/null, stdout and stderr new pipes), and forks the next spare; replies
 *                   "forked PID OUT_FD ERR_FD": the JVM opens
 *                   /proc/THIS_PID/fd/OUT_FD and ERR_FD (their read ends), then says
 *   "opened PID"    and the server closes its copies.
 * When a launcher exits it reports "exited PID WAIT_STATUS". At EOF (the JVM closed the socket or died) it exits; the
 * launchers it forked live on, each tied to the JVM by its own control socket.
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PENDING 256

/*
 * Read ends that the JVM has not opened yet, by launcher pid. Once "forked" names them they stay open until the JVM
 * says "opened", even if the launcher has exited meanwhile: its last words (why it failed) are in those pipes.
 */
static struct { pid_t pid; int out, err, reported; } pending[MAX_PENDING];

static void close_pending(size_t i) {
  close(pending[i].out);
  close(pending[i].err);
  pending[i].pid = 0;
  pending[i].reported = 0;
}

/* The JVM has its own copies of PID's read ends. */
static void pipes_opened(pid_t pid) {
  for (size_t i = 0; i < MAX_PENDING; i++) {
    if (pending[i].pid == pid && pending[i].reported) {
      close_pending(i);
      return;
    }
  }
}

/* PID's exit was reaped: pipes nobody was told about go now, the others wait for "opened". */
static void launcher_exited(pid_t pid) {
  for (size_t i = 0; i < MAX_PENDING; i++) {
    if (pending[i].pid == pid && !pending[i].reported) close_pending(i);
  }
}

/*
 * A launcher forked ahead of need, waiting on a pipe for its control socket's path: a start then costs a write to
 * that pipe instead of a fork (on this kind of VM a fork takes most of a millisecond, and the child as much again
 * before it runs).
 */
static struct { pid_t pid; int path_fd, out, err; } spare = {0, -1, -1, -1};

/* Reads its control socket's path from the server, then runs as that container's launcher, its spec next on the pipe. */
static _Noreturn void spare_main(int path_fd) {
  report_init(2);  /* not the server's socket, closed here: until it connects, stderr is its only channel */
  char path[4096];
  size_t len = 0;
  for (;;) {  /* a byte at a time: the spec that follows is the launcher's to read */
    ssize_t n = read(path_fd, path + len, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(0);  /* the server ended before it needed this launcher */
    if (path[len] == '\n' || ++len == sizeof path - 1) break;
  }
  path[len] = 0;
  _exit(launcher_main(path, path_fd));
}

/* Forks the spare launcher: stdin /dev/null, stdout and stderr new pipes, nothing else of the server's. */
static int fork_spare(int control, int sigfd) {
  int out[2] = {-1, -1}, err[2] = {-1, -1}, path[2] = {-1, -1};
  if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 || pipe2(path, O_CLOEXEC) < 0) {
    int saved = errno;
    for (int i = 0; i < 2; i++) {
      if (out[i] >= 0) close(out[i]);
      if (err[i] >= 0) close(err[i]);
      if (path[i] >= 0) close(path[i]);
    }
    errno = saved;
    return -1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    int saved = errno;
    close(out[0]); close(out[1]); close(err[0]); close(err[1]); close(path[0]); close(path[1]);
    errno = saved;
    return -1;
  }
  if (pid == 0) {
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0) _exit(126);
    if (null > 2) close(null);
    close(out[0]); close(out[1]); close(err[0]); close(err[1]); close(path[1]);
    close(control);
    close(sigfd);
    for (size_t i = 0; i < MAX_PENDING; i++) {
      if (pending[i].pid) { close(pending[i].out); close(pending[i].err); }
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    spare_main(path[0]);
  }
  close(out[1]);
  close(err[1]);
  close(path[0]);
  spare.pid = pid;
  spare.path_fd = path[1];
  spare.out = out[0];
  spare.err = err[0];
  return 0;
}

/* The next n bytes of the request stream: first what the server's buffer holds, then from the socket. */
static int take(int control, char *buf, size_t *buffered, char *out, size_t n) {
  size_t from_buf = n < *buffered ? n : *buffered;
  memcpy(out, buf, from_buf);
  memmove(buf, buf + from_buf, *buffered - from_buf);
  *buffered -= from_buf;
  for (size_t got = from_buf; got < n;) {
    ssize_t r = read(control, out + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    got += (size_t)r;
  }
  return 0;
}

/*
 * "spawn SOCKET" then the container's spec frame ("LENGTH\n" and LENGTH bytes): hands both to the spare launcher
 * and forks the next spare. A frame that cannot be read ends the server (the request stream is lost); the engine
 * starts another.
 */
static void spawn(int control, int sigfd, const char *socket_path, char *buf, size_t *buffered) {
  char header[32];
  size_t h = 0;
  while (h < sizeof header - 1) {
    if (take(control, buf, buffered, header + h, 1) < 0) fail("read(spec header)", socket_path);
    if (header[h++] == '\n') break;
  }
  header[h] = 0;
  char *end;
  unsigned long n = strtoul(header, &end, 10);
  if (end == header || *end != '\n' || n == 0 || n > MAX_SPEC) {
    errno = EINVAL;
    fail("read(spec header)", socket_path);
  }
  char *frame = malloc(h + n);
  if (!frame) fail("malloc(spec)", socket_path);
  memcpy(frame, header, h);
  if (take(control, buf, buffered, frame + h, n) < 0) fail("read(spec)", socket_path);

  size_t slot = 0;
  while (slot < MAX_PENDING && pending[slot].pid) slot++;
  if (slot == MAX_PENDING) {
    report_error("spawn (too many unopened launchers)", socket_path, EAGAIN);
    free(frame);
    return;
  }
  for (int attempt = 0;; attempt++) {  /* a spare killed before its exit was reaped: once more with a new one */
    if (!spare.pid && fork_spare(control, sigfd) < 0) {
      report_error("fork", socket_path, errno);
      break;
    }
    pid_t pid = spare.pid;
    int handed = write_all(spare.path_fd, socket_path, strlen(socket_path)) == 0
                 && write_all(spare.path_fd, "\n", 1) == 0 && write_all(spare.path_fd, frame, h + n) == 0;
    int saved = errno;
    close(spare.path_fd);
    pending[slot].pid = pid;  /* not handed: its pipes are closed when its exit is reaped */
    pending[slot].out = spare.out;
    pending[slot].err = spare.err;
    spare.pid = 0;
    if (handed) {
      pending[slot].reported = 1;
      report_line("forked %d %d %d\n", (int)pid, pending[slot].out, pending[slot].err);
      fork_spare(control, sigfd);  /* for the next start, while this one runs; on failure the next spawn forks */
      break;
    }
    while (slot < MAX_PENDING && pending[slot].pid) slot++;
    if (attempt == 1 || slot == MAX_PENDING) {
      report_error("write", "(the spare launcher's pipe)", saved);
      break;
    }
  }
  free(frame);
}

int server_main(const char *control_socket, const char *join) {
  int control = connect_control(control_socket);
  report_init(control);
  if (join) userns_join(join);  /* the launchers it forks are in the engine's user namespace already */
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  if (sigprocmask(SIG_BLOCK, &chld, NULL) < 0) fail("sigprocmask", "-");
  int sigfd = signalfd(-1, &chld, SFD_CLOEXEC);
  if (sigfd < 0) fail("signalfd", "-");
  signal(SIGPIPE, SIG_IGN);  /* a spare launcher that died: write() fails instead */
  fork_spare(control, sigfd);
  char buf[8192];
  size_t len = 0;
  for (;;) {
    struct pollfd fds[2] = {{sigfd, POLLIN, 0}, {control, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      fail("poll", "-");
    }
    if (fds[0].revents & POLLIN) {
      struct signalfd_siginfo si;
      if (read(sigfd, &si, sizeof si) < 0 && errno != EAGAIN) fail("read", "signalfd");
      int status;
      pid_t pid;
      while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (pid == spare.pid) {  /* killed before it was needed: the next spawn forks afresh */
          close(spare.path_fd); close(spare.out); close(spare.err);
          spare.pid = 0;
          continue;
        }
        launcher_exited(pid);
        report_line("exited %d %d\n", (int)pid, status);
      }
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(control, buf + len, sizeof buf - 1 - len);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {  /* the engine is gone: its launchers are tied to it by their own sockets */
        if (spare.pid) {  /* the spare ends at EOF on its pipe: reaped here, so that it leaves no zombie */
          close(spare.path_fd);
          while (waitpid(spare.pid, NULL, 0) < 0 && errno == EINTR) {}
        }
        return 0;
      }
      len += (size_t)n;
      char *nl;
      while ((nl = memchr(buf, '\n', len))) {
        *nl = 0;
        char line[sizeof buf];  /* the line, out of buf: a spawn reads its spec frame through buf */
        memcpy(line, buf, (size_t)(nl + 1 - buf));
        len -= (size_t)(nl + 1 - buf);
        memmove(buf, nl + 1, len);
        int pid;
        if (!strncmp(line, "spawn ", 6)) spawn(control, sigfd, line + 6, buf, &len);
        else if (sscanf(line, "opened %d", &pid) == 1) pipes_opened(pid);
      }
      if (len == sizeof buf - 1) len = 0;  /* an overlong line: drop it */
    }
  }
}
