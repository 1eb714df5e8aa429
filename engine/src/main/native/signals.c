/*
 * The signal state a container's process starts with: every disposition default and nothing blocked, as runc does.
 * The launcher inherits the JVM's, which may ignore SIGINT and SIGQUIT (a shell starts background jobs so), and
 * ignored dispositions survive execve: a shell would then not even be able to trap ^C.
 */
#include "launcher.h"

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's own struct: the C library refuses the signals it reserves (32-34), which the JVM may ignore too. */
struct kernel_sigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)(void);
  unsigned long mask;
};

void signals_default(void) {
  struct kernel_sigaction dfl = {.handler = SIG_DFL};
  for (int sig = 1; sig <= 64; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    if (syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof dfl.mask) < 0) fail("rt_sigaction(SIG_DFL)", "-");
  }
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, NULL) < 0) fail("sigprocmask", "-");
}
