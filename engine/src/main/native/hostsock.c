/*
 * Sockets in the host's network namespace for a rootless launcher, which cannot return there once it has made the
 * container's (setns needs CAP_SYS_ADMIN over the initial user namespace, which owns the host's). A process forked
 * before the launcher leaves stays in the host's namespace and makes each socket the relay asks for, passing it back
 * over a socketpair (SCM_RIGHTS). A socket keeps the namespace it was made in, so the relay, living in the
 * container's, connects it to the host's 127.0.0.1:PORT of an exposed host port as it connects any other.
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

#define MAKER_FD 3

static pid_t maker_pid = -1;

/* Answers each request (an int: SOCK_STREAM or SOCK_DGRAM) with an int errno, 0 carrying the new socket. */
static _Noreturn void maker_main(int fd, pid_t launcher) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != launcher) _exit(1);
  /* Hold nothing else of the launcher's: its control socket and output pipes must reach EOF when it exits. */
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0 || dup2(fd, MAKER_FD) < 0) _exit(1);
  for (int i = 0; i < 3; i++) {
    if (dup2(null, i) < 0) _exit(1);
  }
  if (syscall(SYS_close_range, MAKER_FD + 1, ~0U, 0) < 0) _exit(1);
  for (;;) {
    int type;
    ssize_t n = read(MAKER_FD, &type, sizeof type);
    if (n < 0 && errno == EINTR) continue;
    if (n != sizeof type) _exit(0);  /* the relay is gone */
    int s = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int err = s < 0 ? errno : 0;
    union {
      struct cmsghdr h;
      char buf[CMSG_SPACE(sizeof(int))];
    } control;
    memset(&control, 0, sizeof control);
    struct iovec iov = {&err, sizeof err};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    if (s >= 0) {
      m.msg_control = control.buf;
      m.msg_controllen = sizeof control.buf;
      struct cmsghdr *h = CMSG_FIRSTHDR(&m);
      h->cmsg_level = SOL_SOCKET;
      h->cmsg_type = SCM_RIGHTS;
      h->cmsg_len = CMSG_LEN(sizeof(int));
      memcpy(CMSG_DATA(h), &s, sizeof s);
    }
    while (sendmsg(MAKER_FD, &m, MSG_NOSIGNAL) < 0) {
      if (errno != EINTR) _exit(0);
    }
    if (s >= 0) close(s);
  }
}

int host_sockets_start(void) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) fail("socketpair", "host sockets");
  pid_t launcher = getpid();
  pid_t pid = fork();
  if (pid < 0) fail("fork", "host sockets");
  if (pid == 0) {
    close(pair[0]);
    maker_main(pair[1], launcher);
  }
  close(pair[1]);
  maker_pid = pid;
  return pair[0];
}

void host_sockets_stop(void) {
  if (maker_pid <= 0) return;
  kill(maker_pid, SIGKILL);  /* and reaped here: nothing of the launcher's may outlive it, not even a zombie */
  while (waitpid(maker_pid, NULL, 0) < 0 && errno == EINTR) {}
  maker_pid = -1;
}

int host_socket(int maker, int type) {
  if (write_all(maker, (const char *)&type, sizeof type) < 0) return -1;
  int err;
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } control;
  struct iovec iov = {&err, sizeof err};
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                     .msg_controllen = sizeof control.buf};
  ssize_t n;
  while ((n = recvmsg(maker, &m, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {}
  if (n != sizeof err) {
    if (n >= 0) errno = EPIPE;  /* the maker is gone */
    return -1;
  }
  if (err != 0) {
    errno = err;
    return -1;
  }
  struct cmsghdr *h = CMSG_FIRSTHDR(&m);
  if (!h || h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS) {
    errno = EPROTO;
    return -1;
  }
  int fd;
  memcpy(&fd, CMSG_DATA(h), sizeof fd);
  return fd;
}
