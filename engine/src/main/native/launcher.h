/* skiff-launcher: starts one container for a JVM and reports on it. See main.c for the protocol. */
#ifndef SKIFF_LAUNCHER_H
#define SKIFF_LAUNCHER_H

#include <stddef.h>
#include <sys/types.h>

enum mount_kind { MOUNT_BIND, MOUNT_TMPFS };

struct mount_request {
  enum mount_kind kind;
  const char *source;  /* bind: a host path, opened before pivot_root */
  const char *target;  /* a path inside the container */
  const char *data;    /* tmpfs: options such as size=64m,mode=1777 */
  int read_only;
  int source_fd;       /* bind: a detached clone of source (open_tree), or -1 */
};

struct spec {
  const char *rootfs;        /* the overlay mount point, or an existing root directory */
  const char *overlay_base;  /* lower/upper/work paths are relative to it, keeping mount data short */
  const char **lower;        /* top first */
  size_t n_lower;
  const char *upper;
  const char *work;
  const char *hostname;
  char **argv;               /* NULL-terminated */
  size_t argc;
  char **env;                /* NULL-terminated */
  size_t envc;
  const char *cwd;
  uid_t uid;
  gid_t gid;
  gid_t *groups;
  size_t n_groups;
  struct mount_request *mounts;
  size_t n_mounts;
  int clone_flags;
  pid_t target_pid;          /* exec: PID 1 of the running container to join */
  const char *builtin;       /* exec: "copy-in" (a tar on stdin) or "copy-out" (argv[0] as a tar to stdout) */
  const char *copy_in;       /* a host tar file extracted into the root before the command starts */
  int init;                  /* the launcher's child stays PID 1: reaps zombies, forwards signals */
  int detached;              /* the container outlives the control socket (skiff run -d) */
  const char *exit_file;     /* where the exit line is written too, for readers other than the JVM */
};

/* spec.c */
int spec_parse(char *buf, size_t len, struct spec *spec, const char **bad_entry);

/* report.c: every failure names the call, the path and errno. */
void report_init(int fd);
void report_error(const char *call, const char *path, int err);
void report_line(const char *fmt, ...);
int report_fd(void);
_Noreturn void fail(const char *call, const char *path);
int write_all(int fd, const char *buf, size_t len);

/* rootfs.c: runs in the container's mount namespace, before the identity changes. */
void rootfs_open_sources(struct spec *spec);
void rootfs_enter(const struct spec *spec);
void rootfs_populate(struct spec *spec);
void mkdir_p(const char *path, mode_t mode);

/* identity.c: credentials and capabilities, then exec. */
void identity_apply(const struct spec *spec);
_Noreturn void exec_command(const struct spec *spec);
_Noreturn void identity_exec(const struct spec *spec);

/* main.c: the control protocol, shared by both modes. */
int connect_control(const char *path);
char *read_spec(int fd, size_t *len);
int supervisor_signals(void);
int await_exec(int error_pipe);
void report_exit(int status, const char *exit_file);
int supervise(int control, int sigfd, pid_t pid, int detached);
int run_child(int control, struct spec *spec, pid_t (*start_child)(int clone_flags), const char *call,
              void (*child_main)(struct spec *spec, int error_fd));

/* exec.c */
int exec_main(const char *control_socket);

/* init.c */
_Noreturn void init_exec(const struct spec *spec);

/* tar.c: ustar with pax names, relative to the current root. */
void tar_extract(int fd, const char *what);
void tar_write(const char *path);

/* net.c */
void net_loopback_up(void);

#endif
