/*
 * Pseudo-terminals (spec entry tty=1). The container's process, PID 1 or an exec, gets a terminal whose slave lives in
 * the container's own devpts instance, so that `tty` there names /dev/pts/N: the child opens /dev/pts/ptmx once that
 * is the container's (after rootfs_populate, or after joining the mount namespace), makes the slave its controlling
 * terminal and its stdin, stdout and stderr, and hands the master over a socketpair (SCM_RIGHTS) to the tty relay.
 *
 * The relay is a process the launcher forks before anything joins the container's PID namespace (an exec's relay is
 * not one of the container's processes). It copies the launcher's stdin to the master and the master to the
 * launcher's stdout: one stream, as with docker run -t. When the launcher's stdin is a terminal (skiff run -it), the
 * relay puts it into raw mode until it ends, and passes the terminal's window size changes (SIGWINCH) on. It ends,
 * restoring the terminal, when the launcher says so (the process ended: tty_stop) or when the launcher is gone, so a
 * JVM or launcher killed with -9 leaves the terminal as it was. The JVM's "resize ROWS COLS" lines reach it through
 * the launcher (tty_resize).
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define PTMX "/dev/pts/ptmx"
#define DEFAULT_ROWS 24
#define DEFAULT_COLS 80

/* From the launcher to the relay: a new window size, or {0, 0} to drain the master and end. */
struct relay_command {
  unsigned short rows, cols;
};

static int masters[2] = {-1, -1};   /* [0] the relay receives the master, [1] the child sends it */
static int commands[2] = {-1, -1};  /* [0] the relay reads commands, [1] the launcher writes them */
static pid_t relay_pid = -1;

/* The launcher's terminal (stdin, else stdout), whose size the container's follows; -1 when it has none. */
static int launcher_terminal(void) {
  return isatty(0) ? 0 : isatty(1) ? 1 : -1;
}

static struct winsize initial_size(const struct spec *spec) {
  struct winsize ws;
  memset(&ws, 0, sizeof ws);
  int term = launcher_terminal();
  if (spec->tty_rows && spec->tty_cols) {
    ws.ws_row = (unsigned short)spec->tty_rows;
    ws.ws_col = (unsigned short)spec->tty_cols;
  } else if (term >= 0 && ioctl(term, TIOCGWINSZ, &ws) < 0) {
    fail("ioctl(TIOCGWINSZ)", term == 0 ? "/dev/stdin" : "/dev/stdout");
  }
  if (!ws.ws_row || !ws.ws_col) {
    ws.ws_row = DEFAULT_ROWS;
    ws.ws_col = DEFAULT_COLS;
  }
  return ws;
}

static void send_master(int master) {
  char byte = 't';
  struct iovec iov = {&byte, 1};
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof(int))];
  } control;
  memset(&control, 0, sizeof control);
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                       .msg_controllen = sizeof control.buf};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &master, sizeof(int));
  while (sendmsg(masters[1], &msg, 0) < 0) {
    if (errno != EINTR) fail("sendmsg(SCM_RIGHTS)", "tty relay");
  }
}

/* The master from the child, or -1 at EOF (the child failed before sending it). */
static int receive_master(void) {
  char byte;
  struct iovec iov = {&byte, 1};
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof(int))];
  } control;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                       .msg_controllen = sizeof control.buf};
  ssize_t n;
  while ((n = recvmsg(masters[0], &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {}
  if (n < 0) fail("recvmsg(SCM_RIGHTS)", "tty relay");
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  if (n == 0 || !c || c->cmsg_type != SCM_RIGHTS) return -1;
  int master;
  memcpy(&master, CMSG_DATA(c), sizeof(int));
  return master;
}

/*
 * The master if the child sent it and it waits unreceived, else -1: a quick process may have sent it, written all its
 * output and exited before the relay ran, and the launcher's stop may then come in the same poll as the master.
 */
static int pending_master(void) {
  struct pollfd p = {masters[0], POLLIN, 0};
  if (poll(&p, 1, 0) != 1) return -1;
  int master = receive_master();
  if (master >= 0 && fcntl(master, F_SETFL, O_NONBLOCK) < 0) fail("fcntl(O_NONBLOCK)", PTMX);
  return master;
}

void tty_attach(const struct spec *spec) {
  int master = open(PTMX, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) fail("open", PTMX);
  int unlock = 0;
  if (ioctl(master, TIOCSPTLCK, &unlock) < 0) fail("ioctl(TIOCSPTLCK)", PTMX);
  unsigned n;
  if (ioctl(master, TIOCGPTN, &n) < 0) fail("ioctl(TIOCGPTN)", PTMX);
  char slave_path[32];
  snprintf(slave_path, sizeof slave_path, "/dev/pts/%u", n);
  /* TIOCGPTPEER opens the slave of this very master, with no path lookup that the container's files could divert. */
  int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) fail("ioctl(TIOCGPTPEER)", slave_path);
  struct winsize ws = initial_size(spec);
  if (ioctl(master, TIOCSWINSZ, &ws) < 0) fail("ioctl(TIOCSWINSZ)", slave_path);
  /* The process's own terminal, as runc leaves it: a user other than root may reopen it (/dev/tty, stty -F). */
  if (fchown(slave, spec->uid, (gid_t)-1) < 0) fail("fchown", slave_path);
  if (setsid() < 0) fail("setsid", "-");
  if (ioctl(slave, TIOCSCTTY, 0) < 0) fail("ioctl(TIOCSCTTY)", slave_path);
  for (int fd = 0; fd <= 2; fd++) {
    if (dup2(slave, fd) < 0) fail("dup2", slave_path);
  }
  if (slave > 2) close(slave);
  send_master(master);
  close(master);
  close(masters[1]);
  close(commands[1]);
}

static void send_command(struct relay_command cmd) {
  if (relay_pid < 0) {
    errno = ENOTTY;
    report_error("resize", "(the container's process has no tty)", errno);
    return;
  }
  if (write_all(commands[1], (const char *)&cmd, sizeof cmd) < 0) report_error("write", "tty relay", errno);
}

void tty_resize(int rows, int cols) {
  if (rows < 1 || rows > 65535 || cols < 1 || cols > 65535) {
    report_error("resize", "(rows and cols must be within 1..65535)", EINVAL);
    return;
  }
  send_command((struct relay_command){(unsigned short)rows, (unsigned short)cols});
}

void tty_stop(void) {
  if (relay_pid < 0) return;
  send_command((struct relay_command){0, 0});
  while (waitpid(relay_pid, NULL, 0) < 0 && errno == EINTR) {}
  relay_pid = -1;
}

/* One direction's bytes in flight: read when empty, written before the next read. */
struct buffer {
  char data[16384];
  size_t len, off;
};

/* Writes what the master takes now; returns -1 once it refuses input for good (its slave is gone). */
static int flush_to_master(int master, struct buffer *b) {
  while (b->len > 0) {
    ssize_t n = write(master, b->data + b->off, b->len);
    if (n < 0) return errno == EAGAIN || errno == EINTR ? 0 : -1;
    b->off += (size_t)n;
    b->len -= (size_t)n;
  }
  return 0;
}

/* Copies what the master has to stdout (dropped once stdout fails); returns -1 at EOF or EIO (no slave is open). */
static int copy_from_master(int master, int *stdout_ok) {
  char buf[16384];
  for (;;) {
    ssize_t n = read(master, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return 0;
    if (n <= 0) return -1;
    if (*stdout_ok && write_all(1, buf, (size_t)n) < 0) *stdout_ok = 0;
  }
}

static void copy_window_size(int from, int master) {
  struct winsize ws;
  if (ioctl(from, TIOCGWINSZ, &ws) < 0) report_error("ioctl(TIOCGWINSZ)", "launcher's terminal", errno);
  else if (ioctl(master, TIOCSWINSZ, &ws) < 0) report_error("ioctl(TIOCSWINSZ)", PTMX, errno);
}

/* The relay's end: the process's last output is copied, the launcher's terminal is as it was. */
static _Noreturn void relay_finish(int master, int *stdout_ok, const struct termios *saved) {
  if (master >= 0) copy_from_master(master, stdout_ok);
  if (saved && tcsetattr(0, TCSANOW, saved) < 0) report_error("tcsetattr(restore)", "/dev/stdin", errno);
  _exit(0);
}

static _Noreturn void relay_main(void) {
  report_init(2);  /* the JVM reads the control socket as the launcher's; the relay's rare errors go to stderr */
  sigset_t all, winch;
  sigfillset(&all);
  sigemptyset(&winch);
  sigaddset(&winch, SIGWINCH);
  /* Signals end the launcher's child, which ends the relay: it restores the terminal rather than die first. */
  if (sigprocmask(SIG_BLOCK, &all, NULL) < 0) fail("sigprocmask", "tty relay");
  int term = launcher_terminal();
  int winch_fd = term >= 0 ? signalfd(-1, &winch, SFD_CLOEXEC | SFD_NONBLOCK) : -1;
  if (term >= 0 && winch_fd < 0) fail("signalfd(SIGWINCH)", "tty relay");
  enum { AWAITING, LIVE, DONE } state = AWAITING;  /* DONE: the child never sent a master, or its slave is gone */
  int master = -1, stdin_open = 1, stdout_ok = 1;
  struct termios saved, *restore = NULL;
  struct buffer in = {.len = 0};
  for (;;) {
    int live = state == LIVE;
    struct pollfd fds[5] = {
        {commands[0], POLLIN, 0},
        {state == AWAITING ? masters[0] : -1, POLLIN, 0},
        {winch_fd, POLLIN, 0},
        {live && stdin_open && in.len == 0 ? 0 : -1, POLLIN, 0},
        {live ? master : -1, POLLIN | (in.len ? POLLOUT : 0), 0}};
    if (poll(fds, 5, -1) < 0) {
      if (errno == EINTR) continue;
      report_error("poll", "tty relay", errno);
      relay_finish(live ? master : -1, &stdout_ok, restore);
    }
    if (fds[0].revents) {
      struct relay_command cmd;
      ssize_t n = read(commands[0], &cmd, sizeof cmd);
      if (n < 0 && errno == EINTR) continue;
      if (n != (ssize_t)sizeof cmd || (!cmd.rows && !cmd.cols)) {  /* the process ended, or the launcher is gone */
        if (state == AWAITING && (master = pending_master()) >= 0) live = 1;  /* sent, but not received yet */
        relay_finish(live ? master : -1, &stdout_ok, restore);
      }
      struct winsize ws = {.ws_row = cmd.rows, .ws_col = cmd.cols};
      if (live && ioctl(master, TIOCSWINSZ, &ws) < 0) report_error("ioctl(TIOCSWINSZ)", PTMX, errno);
    }
    if (fds[1].revents) {
      master = receive_master();
      state = master < 0 ? DONE : LIVE;
      if (master < 0) continue;
      if (fcntl(master, F_SETFL, O_NONBLOCK) < 0) fail("fcntl(O_NONBLOCK)", PTMX);
      /* Raw: every key (^C, ^D, arrows) goes to the container's terminal, which echoes and handles it itself. */
      if (isatty(0) && tcgetattr(0, &saved) == 0) {
        struct termios t = saved;
        cfmakeraw(&t);
        if (tcsetattr(0, TCSANOW, &t) < 0) report_error("tcsetattr(raw)", "/dev/stdin", errno);
        else restore = &saved;
      }
      continue;
    }
    if (fds[2].revents) {
      struct signalfd_siginfo si;
      while (read(winch_fd, &si, sizeof si) == (ssize_t)sizeof si) {}
      if (live) copy_window_size(term, master);
    }
    if (fds[3].revents) {
      ssize_t n = read(0, in.data, sizeof in.data);
      if (n > 0) {
        in.len = (size_t)n;
        in.off = 0;
      } else if (n == 0 || errno != EINTR) {
        stdin_open = 0;  /* EOF is no end for a terminal: its process reads on, as with docker run -t */
      }
    }
    if (live && (fds[4].revents & (POLLOUT | POLLERR | POLLHUP)) && flush_to_master(master, &in) < 0) {
      in.len = 0;
      stdin_open = 0;
    }
    if (live && (fds[4].revents & (POLLIN | POLLERR | POLLHUP)) && copy_from_master(master, &stdout_ok) < 0) {
      close(master);
      master = -1;
      state = DONE;  /* every holder of the slave is gone; the launcher's tty_stop follows */
    }
  }
}

void tty_prepare(const struct spec *spec, int control) {
  if (!spec->tty) return;
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, masters) < 0) fail("socketpair", "tty relay");
  if (pipe2(commands, O_CLOEXEC) < 0) fail("pipe2", "tty relay");
  relay_pid = fork();
  if (relay_pid < 0) fail("fork", "tty relay");
  if (relay_pid == 0) {
    close(control);  /* the JVM's socket must reach EOF when the launcher exits */
    close(masters[1]);
    close(commands[1]);
    relay_main();
  }
  close(masters[0]);
  close(commands[0]);
}
