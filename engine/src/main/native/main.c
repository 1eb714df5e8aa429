/*
 * skiff-launcher CONTROL_SOCKET
 *
 * Connects to the JVM's Unix socket, reads a container spec ("LENGTH\n" then LENGTH bytes of NUL-terminated
 * key=value entries, see spec.c), clones the container into new namespaces and supervises it. Its stdin, stdout
 * and stderr are the container's. Over the socket it reports "port\tPROTO\tCONTAINER_PORT\tHOST_PORT" for each
 * published port (net.c), then "started\tPID" (the host's view), or
 * "error\tCALL\tPATH\tERRNO\tMESSAGE" when the container cannot start, then "exited\tCODE" or "killed\tSIGNAL".
 * It accepts "kill SIGNAL" lines, and "resize ROWS COLS" for a process with a pseudo-terminal (tty=1: its stdin and
 * stdout are relayed to and from that terminal, see tty.c). When the socket reaches EOF (the JVM closed it or died),
 * it SIGKILLs the container's PID 1, which ends the whole PID namespace.
 *
 * skiff-launcher exec CONTROL_SOCKET: the same protocol for one more process in a running container, or a copy out of
 * one that is not running (exec.c).
 * skiff-launcher network CONTROL_SOCKET [PERSIST_PATH]: holds a container network (network.c).
 * skiff-launcher userns CONTROL_SOCKET: holds the user namespace of an unprivileged engine (userns.c).
 *
 * skiff-launcher -
 *
 * Reads the spec from stdin and reports on stdout: for the file tasks (task=remove, task=chown, task=link), which
 * run in a child, in the spec's user namespace when it has one, and exit 0 when done.
 *
 * An unprivileged engine's launchers start with --userns=PID:INODE (before the mode): they join the engine's user
 * namespace first and make every other namespace inside it. With userns.* entries but no --userns, the child is
 * cloned into a new user namespace of its own, and waits until the launcher has written its maps (file tasks only);
 * an exec joins the container's user namespace first.
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif



struct clone_args_v0 {
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

int connect_control(const char *path) {
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    report_error("connect", path, errno);
    exit(2);
  }
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    report_error("connect", path, errno);
    exit(2);
  }
  return fd;
}

static int read_full(int fd, char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = read(fd, buf, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

char *read_spec(int fd, size_t *len) {
  char header[32];
  size_t h = 0;
  while (h < sizeof header - 1) {
    if (read_full(fd, header + h, 1) < 0) fail("read(spec header)", "control socket");
    if (header[h] == '\n') break;
    h++;
  }
  header[h] = 0;
  char *end;
  unsigned long n = strtoul(header, &end, 10);
  if (*end != 0 || n == 0 || n > MAX_SPEC) {
    errno = EINVAL;
    fail("read(spec header)", header);
  }
  char *buf = malloc(n);
  if (!buf) fail("malloc(spec)", "-");
  if (read_full(fd, buf, n) < 0) fail("read(spec)", "control socket");
  *len = n;
  return buf;
}

pid_t clone_container(int flags) {
  struct clone_args_v0 args;
  memset(&args, 0, sizeof args);
  args.flags = (uint64_t)flags;
  args.exit_signal = SIGCHLD;
  long pid = syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0 && errno == ENOSYS) pid = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
  return (pid_t)pid;
}

/* The container's mount namespace, held so that its PID 1's exit does not wait for every mount to be taken down. */
static int mount_ns_hold = -1;

static void hold_mount_namespace(pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)pid);
  mount_ns_hold = open(path, O_RDONLY | O_CLOEXEC);  /* without it the exit is reported a little later: no error */
}

/*
 * After the exit is reported: ends the output first (so the JVM's readers see its end now), then lets the mounts go,
 * which takes a millisecond or two of the kernel's time that nobody waits for.
 */
static void release_mount_namespace(void) {
  if (mount_ns_hold < 0) return;
  int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null >= 0) {
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    close(null);
  }
  close(mount_ns_hold);
  mount_ns_hold = -1;
  trace("released");
}

/* In the child: PID 1 of the new namespaces. Errors go to the launcher through error_fd, closed by execve. */
static _Noreturn void container_main(struct spec *spec, int error_fd) {
  report_init(error_fd);
  trace("child");
  cgroup_join(spec);
  if (spec->task == TASK_REMOVE) task_remove(spec);
  if (spec->task == TASK_CHOWN) task_chown(spec);
  if (spec->task == TASK_LINK) task_link(spec);
  signals_default();
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) fail("prctl(PR_SET_PDEATHSIG)", "-");
  net_enter(spec);
  rootfs_open_sources(spec);
  trace("sources");
  int staged = spec->copy_in ? open(spec->copy_in, O_RDONLY | O_CLOEXEC) : -1;
  if (spec->copy_in && staged < 0) fail("open", spec->copy_in);
  rootfs_enter(spec);
  trace("pivoted");
  rootfs_populate(spec);
  trace("populated");
  if (staged >= 0) tar_extract(staged, spec->copy_in);
  if ((spec->clone_flags & CLONE_NEWUTS) && spec->hostname &&
      sethostname(spec->hostname, strlen(spec->hostname)) < 0) {
    fail("sethostname", spec->hostname);
  }
  if (spec->tty) tty_attach(spec);
  if (spec->init) init_exec(spec);
  trace("exec");
  identity_exec(spec);
}

/*
 * Clones the container (into a new user namespace too when the spec has one, whose maps it writes before the child
 * goes on). Returns its pid, 0 in the child, or -1 once the failure is reported and the child is gone.
 */
static pid_t start_container(struct spec *spec) {
  int own_userns = spec->userns.enabled && !userns_joined();
  int sync[2] = {-1, -1};
  if (own_userns && pipe2(sync, O_CLOEXEC) < 0) fail("pipe2", "-");
  pid_t pid = clone_container(spec->clone_flags | (own_userns ? CLONE_NEWUSER : 0));
  if (pid < 0) {
    /* EPERM, ENOSPC or EUSERS here mostly mean that this host forbids unprivileged user namespaces. */
    report_error("clone3", own_userns ? "user namespace" : "-", errno);
    return -1;
  }
  if (pid == 0) {
    if (own_userns) {
      close(sync[1]);
      userns_await_maps(sync[0]);
    }
    return 0;
  }
  hold_mount_namespace(pid);
  if (own_userns) {
    close(sync[0]);
    int ready = userns_write_maps(pid, &spec->userns) == 0 && write_all(sync[1], "1", 1) == 0;
    close(sync[1]);
    if (!ready) {
      kill(pid, SIGKILL);
      while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
      return -1;
    }
  }
  return pid;
}

/* A file task (remove, chown, link): its child's error line or success is the launcher's exit status. */
static int run_task(struct spec *spec) {
  int error_pipe[2];
  if (pipe2(error_pipe, O_CLOEXEC) < 0) fail("pipe2", "-");
  if (userns_joined()) spec->clone_flags = 0;  /* in the engine's user namespace already: the task needs no other */
  pid_t pid = start_container(spec);
  if (pid < 0) return 1;
  if (pid == 0) {
    close(error_pipe[0]);
    container_main(spec, error_pipe[1]);
  }
  close(error_pipe[1]);
  int reported = await_exec(error_pipe[0]) < 0;
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  return !reported && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* Relays the child's error line, if any. Returns 0 when the child reached execve. */
int await_exec(int error_pipe) {
  char buf[4096];
  size_t len = 0;
  for (;;) {
    ssize_t n = read(error_pipe, buf + len, sizeof buf - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || (len += (size_t)n) == sizeof buf) break;
  }
  if (len > 0) write_all(report_fd(), buf, len);
  return len > 0 ? -1 : 0;
}

void report_exit(int status, const char *exit_file) {
  char line[32];
  if (WIFSIGNALED(status)) snprintf(line, sizeof line, "killed\t%d\n", WTERMSIG(status));
  else snprintf(line, sizeof line, "exited\t%d\n", WEXITSTATUS(status));
  if (exit_file) {
    int fd = open(exit_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
      write_all(fd, line, strlen(line));
      close(fd);
    }
  }
  report_line("%s", line);
}

/*
 * Starts the child with start_child (0 in the child, which runs child_main and never returns; -1 once the failure
 * is reported), relays its error if it fails before execve, else reports "started" and supervises it to its end.
 * Returns the launcher's status.
 */
int run_child(int control, struct spec *spec, pid_t (*start_child)(struct spec *spec),
              void (*child_main)(struct spec *spec, int error_fd)) {
  int sigfd = supervisor_signals();
  int error_pipe[2];
  if (pipe2(error_pipe, O_CLOEXEC) < 0) fail("pipe2", "-");
  pid_t pid = start_child(spec);
  if (pid < 0) return 1;
  if (pid == 0) {
    close(error_pipe[0]);
    close(control);
    close(sigfd);
    child_main(spec, error_pipe[1]);
    _exit(127);
  }
  trace("cloned");
  close(error_pipe[1]);
  if (await_exec(error_pipe[0]) < 0) {
    int status;
    waitpid(pid, &status, 0);
    return 1;
  }
  close(error_pipe[0]);
  if (relay_start() < 0) {
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
    return 1;
  }
  report_line("started\t%d\n", (int)pid);
  trace("started");
  int status = supervise(control, sigfd, pid, spec->detached);
  trace("reaped");
  tty_stop();  /* the process's last output reaches stdout before its exit is reported */
  relay_stop();
  report_exit(status, spec->exit_file);
  trace("reported");
  release_mount_namespace();
  return 0;
}

/* Blocks the signals supervise() handles (child exits, and those it forwards); returns their signalfd. */
int supervisor_signals(void) {
  sigset_t handled;
  sigemptyset(&handled);
  sigaddset(&handled, SIGCHLD);
  sigaddset(&handled, SIGTERM);
  sigaddset(&handled, SIGINT);
  sigaddset(&handled, SIGHUP);
  sigaddset(&handled, SIGQUIT);
  if (sigprocmask(SIG_BLOCK, &handled, NULL) < 0) fail("sigprocmask", "-");
  int sigfd = signalfd(-1, &handled, SFD_CLOEXEC);
  if (sigfd < 0) fail("signalfd", "-");
  return sigfd;
}

/* Runs commands from the JVM until the container exits; returns its wait status. */
int supervise(int control, int sigfd, pid_t pid, int detached) {
  char cmd[256];
  size_t cmd_len = 0;
  int control_open = 1;
  for (;;) {
    struct pollfd fds[2] = {{sigfd, POLLIN, 0}, {control_open ? control : -1, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      fail("poll", "-");
    }
    if (fds[0].revents & POLLIN) {
      struct signalfd_siginfo si;
      if (read(sigfd, &si, sizeof si) == sizeof si && si.ssi_signo != SIGCHLD) {
        kill(pid, (int)si.ssi_signo);  /* forwarded, like docker run's signal proxy */
      }
      int status;
      if (waitpid(pid, &status, WNOHANG) == pid) return status;
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(control, cmd + cmd_len, sizeof cmd - 1 - cmd_len);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        /* The JVM is gone or gave up on the container: nothing may outlive it, unless it was started detached. */
        if (!detached) kill(pid, SIGKILL);
        control_open = 0;
        continue;
      }
      cmd_len += (size_t)n;
      cmd[cmd_len] = 0;
      char *nl;
      while ((nl = strchr(cmd, '\n'))) {
        *nl = 0;
        int sig, rows, cols;
        if (sscanf(cmd, "kill %d", &sig) == 1 && kill(pid, sig) < 0) report_error("kill", "-", errno);
        if (sscanf(cmd, "resize %d %d", &rows, &cols) == 2) tty_resize(rows, cols);
        cmd_len -= (size_t)(nl + 1 - cmd);
        memmove(cmd, nl + 1, cmd_len + 1);
      }
      if (cmd_len == sizeof cmd - 1) cmd_len = 0;  /* an overlong line: drop it */
    }
  }
}

static const char *joining;  /* --userns: joined once connected, so that errors reach the JVM */

int main(int argc, char **argv) {
  const char *join = NULL;  /* the engine's user namespace: userns.c */
  if (argc > 1 && !strncmp(argv[1], "--userns=", 9)) {
    join = argv[1] + 9;
    argv[1] = argv[0];
    argv++;
    argc--;
  }
  if (argc == 3 && !strcmp(argv[1], "exec")) return exec_main(argv[2], join);
  if (argc == 3 && !join && !strcmp(argv[1], "userns")) return userns_hold_main(argv[2]);
  if (argc == 3 && !strcmp(argv[1], "serve")) {
    trace_init();
    return server_main(argv[2], join);
  }
  if ((argc == 3 || argc == 4) && !strcmp(argv[1], "network")) {
    return network_main(argv[2], argc == 4 ? argv[3] : NULL, join);
  }
  if (argc != 2) {
    fprintf(stderr, "usage: %s [--userns=PID:INODE] [network|serve|exec] CONTROL_SOCKET | -\n"
            "       %s userns CONTROL_SOCKET\n(skiff-launcher is started by the Skiff engine)\n", argv[0], argv[0]);
    return 2;
  }
  trace_init();
  if (join) joining = join;
  return launcher_main(argv[1], -1);
}

/*
 * "skiff-launcher SOCKET" (a container) or "skiff-launcher -" (a file task), after the options. The spec comes from
 * spec_fd when it is not -1 (a launcher server's spare got it with its socket), else from the control socket.
 */
int launcher_main(const char *socket_path, int spec_fd) {
  trace("main");
  signal(SIGPIPE, SIG_IGN);
  int task_mode = !strcmp(socket_path, "-");
  int control = task_mode ? 0 : connect_control(socket_path);
  report_init(task_mode ? 1 : control);
  if (joining) userns_join(joining);
  size_t len;
  char *raw = read_spec(spec_fd >= 0 ? spec_fd : control, &len);
  if (spec_fd >= 0) close(spec_fd);
  trace("spec");
  struct spec spec;
  const char *bad;
  if (spec_parse(raw, len, &spec, &bad) < 0) {
    report_error("parse spec", bad, EINVAL);
    return 2;
  }
  if (task_mode != (spec.task != TASK_RUN) || spec.task == TASK_USERNS) {
    report_error("parse spec", spec.task == TASK_USERNS ? "(task=userns is for: skiff-launcher userns SOCKET)"
                 : task_mode ? "(task=run needs a control socket)" : "(a file task reads stdin: -)", EINVAL);
    return 2;
  }
  if (task_mode) return run_task(&spec);
  if (spec.detached && setsid() < 0) fail("setsid", "-");  /* no terminal's hangup or ^C reaches it */
  cgroup_open(&spec);
  tty_prepare(&spec, control);
  net_prepare(&spec);  /* before the clone: the relay's host sockets exist before the container runs */
  trace("network");
  return run_child(control, &spec, start_container, container_main);
}
