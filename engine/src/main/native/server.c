/*
 * skiff-launcher [--userns=PID:INODE] serve CONTROL_SOCKET: forks container launchers for one engine, so that a
 * container start costs a fork of this small process instead of the JVM's ProcessBuilder (a jspawnhelper and two
 * execs). Requests on the socket, one per line:
 *   "spawn SOCKET"  forks a launcher for the container whose control socket is SOCKET (as "skiff-launcher SOCKET"),
 *                   stdin /dev/null, stdout and stderr new pipes; replies "forked PID OUT_FD ERR_FD": the JVM opens
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

/* Read ends that the JVM has not opened yet, by launcher pid. */
static struct { pid_t pid; int out, err; } pending[MAX_PENDING];

static void forget_pipes(pid_t pid) {
  for (size_t i = 0; i < MAX_PENDING; i++) {
    if (pending[i].pid == pid) {
      close(pending[i].out);
      close(pending[i].err);
      pending[i].pid = 0;
    }
  }
}

static void spawn(int control, int sigfd, const char *socket_path) {
  size_t slot = 0;
  while (slot < MAX_PENDING && pending[slot].pid) slot++;
  int out[2] = {-1, -1}, err[2] = {-1, -1};
  if (slot == MAX_PENDING || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
    report_error(slot == MAX_PENDING ? "spawn (too many unopened launchers)" : "pipe2", socket_path,
                 slot == MAX_PENDING ? EAGAIN : errno);
    if (out[0] >= 0) { close(out[0]); close(out[1]); }
    return;
  }
  pid_t pid = fork();
  if (pid < 0) {
    report_error("fork", socket_path, errno);
    close(out[0]); close(out[1]); close(err[0]); close(err[1]);
    return;
  }
  if (pid == 0) {
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0) _exit(126);
    if (null > 2) close(null);
    close(out[0]); close(out[1]); close(err[0]); close(err[1]);
    close(control);
    close(sigfd);
    for (size_t i = 0; i < MAX_PENDING; i++) {
      if (pending[i].pid) { close(pending[i].out); close(pending[i].err); }
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    _exit(launcher_main(socket_path));
  }
  close(out[1]);
  close(err[1]);
  pending[slot].pid = pid;
  pending[slot].out = out[0];
  pending[slot].err = err[0];
  report_line("forked %d %d %d\n", (int)pid, out[0], err[0]);
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
        forget_pipes(pid);
        report_line("exited %d %d\n", (int)pid, status);
      }
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(control, buf + len, sizeof buf - 1 - len);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return 0;  /* the engine is gone: its launchers are tied to it by their own sockets */
      len += (size_t)n;
      buf[len] = 0;
      char *nl;
      while ((nl = strchr(buf, '\n'))) {
        *nl = 0;
        int pid;
        if (!strncmp(buf, "spawn ", 6)) spawn(control, sigfd, buf + 6);
        else if (sscanf(buf, "opened %d", &pid) == 1) forget_pipes(pid);
        len -= (size_t)(nl + 1 - buf);
        memmove(buf, nl + 1, len + 1);
      }
      if (len == sizeof buf - 1) len = 0;  /* an overlong line: drop it */
    }
  }
}
