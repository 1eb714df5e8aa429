/*
 * Init mode, like docker run --init: the container's PID 1 stays the launcher's code. It takes the container's
 * identity, forks the command, forwards every signal it can catch to it, reaps every orphan the PID namespace
 * hands it, and exits with the command's status once the command ends.
 */
#include "launcher.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

_Noreturn void init_exec(const struct spec *spec) {
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  /* Blocked signals are queued even for PID 1, which otherwise drops those it has no handler for. */
  if (sigprocmask(SIG_SETMASK, &all, NULL) < 0) fail("sigprocmask", "-");
  identity_apply(spec);
  pid_t child = fork();
  if (child < 0) fail("fork", "-");
  if (child == 0) {
    setpgid(0, 0);  /* a group of its own, as tini does, so signals reach its jobs too */
    /* With a terminal, that group is its foreground one (^C, job control); SIGTTOU is still blocked here. */
    if (spec->tty && tcsetpgrp(0, getpid()) < 0) fail("tcsetpgrp", "/dev/pts");
    if (sigprocmask(SIG_SETMASK, &none, NULL) < 0) fail("sigprocmask", "-");
    exec_command(spec);
  }
  close(report_fd());  /* the launcher hears of errors from the command's copy, closed by its execve */
  for (;;) {
    int sig;
    if (sigwait(&all, &sig) != 0) continue;
    if (sig != SIGCHLD) {
      kill(child, sig);
      continue;
    }
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid != child) continue;
      /* The command's end is the container's: its status, or 128 + the signal, as a shell reports it. */
      _exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
    }
  }
}
