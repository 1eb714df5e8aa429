/* skiff-launcher: starts one container for a JVM and reports on it. See main.c for the protocol. */
#ifndef SKIFF_LAUNCHER_H
#define SKIFF_LAUNCHER_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
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

/* A published port: the relay forwards HOST_PORT on the host's 127.0.0.1 (0: any free port) to CONTAINER_PORT. */
struct port_request {
  int udp;
  int container_port;
  int host_port;
};

/* A network the container joins: NETNS names the network's namespace; ADDRESS (network byte order)/PREFIX is ethN's. */
struct network_request {
  const char *netns;
  uint32_t address;
  int prefix;
};

/* The container reaches the host's 127.0.0.1:PORT of each exposed host port at this address (host.skiff.internal). */
#define HOST_ACCESS_ADDR "127.0.0.2"

/* One line of a uid_map or gid_map: COUNT ids from INSIDE (the container's view) onto OUTSIDE (the host's). */
struct id_range {
  unsigned inside, outside, count;
};

#define MAX_ID_RANGES 32

/* A user namespace for an unprivileged launcher: its maps are written from outside before the child goes on. */
struct userns {
  int enabled;
  struct id_range uids[MAX_ID_RANGES], gids[MAX_ID_RANGES];
  size_t n_uids, n_gids;
  const char *newuidmap;  /* the setuid helpers that write subordinate ranges; NULL: write a one-id map directly */
  const char *newgidmap;
};

/* What the launcher does: start a container, work on files the user namespace's ids own, or hold that namespace. */
enum task { TASK_RUN, TASK_REMOVE, TASK_CHOWN, TASK_LINK, TASK_USERNS };

struct spec {
  enum task task;
  struct userns userns;
  const char **remove;       /* TASK_REMOVE: trees to delete */
  size_t n_remove;
  const char *chown_base;    /* TASK_CHOWN: entries "UID:GID:MODE:PATH", PATH relative to chown_base */
  char **chown;
  size_t n_chown;
  const char **link_sources;  /* TASK_LINK: hardlinks to files the user's other ids own, made where that is allowed */
  const char **link_targets;
  size_t n_links;
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
  struct port_request *publish;
  size_t n_publish;
  int *host_access;          /* exposed host ports */
  size_t n_host_access;
  struct network_request *networks;
  size_t n_networks;
  int clone_flags;
  pid_t target_pid;          /* exec: PID 1 of the running container to join */
  int view;                  /* exec: no running container; its files, read-only, from its layers (exec.view=1) */
  const char *builtin;       /* exec: "copy-in" (a tar on stdin) or "copy-out" (argv[0] as a tar to stdout) */
  const char *copy_in;       /* a host tar file extracted into the root before the command starts */
  int init;                  /* the launcher's child stays PID 1: reaps zombies, forwards signals */
  int detached;              /* the container outlives the control socket (skiff run -d) */
  const char *exit_file;     /* where the exit line is written too, for readers other than the JVM */
  const char **cgroups;      /* cgroup directories the process joins before it execs (cgroup.c) */
  size_t n_cgroups;
  int *cgroup_fds;           /* their cgroup.procs, opened by the launcher */
  int tty;                   /* the process gets a pseudo-terminal (tty.c) */
  int tty_rows, tty_cols;    /* its initial size; 0: the launcher's terminal's, else 24x80 */
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
/* With SKIFF_TRACE=FILE in its environment, the launcher appends timestamps of its steps there (for benchmarks). */
void trace_init(void);
void trace(const char *what);

/* rootfs.c: runs in the container's mount namespace, before the identity changes. */
void rootfs_open_sources(struct spec *spec);
void rootfs_enter(const struct spec *spec);
void rootfs_view(const struct spec *spec);
void rootfs_populate(struct spec *spec);
void mkdir_p(const char *path, mode_t mode);

/* identity.c: credentials and capabilities, then exec. */
void identity_apply(const struct spec *spec);
_Noreturn void exec_command(const struct spec *spec);
_Noreturn void identity_exec(const struct spec *spec);

/* net.c: makes the container's network namespace and the relay's sockets. */
void net_prepare(struct spec *spec);
void net_enter(const struct spec *spec);
void net_loopback_up(void);
int net_socket(int in_container, int type);
void net_live_in_container(void);
int net_keeps_fd(int fd);
struct sockaddr_in net_address(uint32_t host_order_ip, int port);

/* hostsock.c: sockets in the host's network namespace for a rootless launcher that has left it. */
int host_sockets_start(void);
int host_socket(int maker, int type);
void host_sockets_stop(void);

/* netlink.c: rtnetlink calls in the namespace the socket was made in; failures name the interface. */
int nl_open(void);
void nl_create_bridge(int nl, const char *name);
void nl_create_veth(int nl, const char *name, int ns_fd, const char *peer, int peer_ns_fd);
void nl_link_up(int nl, const char *name, const char *master);
void nl_add_address(int nl, const char *name, uint32_t address, int prefix);

/* network.c: a network's namespace and bridge (the launcher's network mode), and joining a container to it. */
int network_main(const char *control_socket, const char *persist_path, const char *join);
void network_attach(const struct network_request *network, int index, int container_ns);
int network_parse_address(const char *text, struct network_request *network);

/* relay.c: forwards published ports and exposed host ports, in a process of its own. */
void relay_add(int fd, int udp, int target_in_container, int target_port);
int relay_start(void);
void relay_stop(void);

/* main.c: the control protocol, shared by the modes. */
pid_t clone_container(int flags);
int connect_control(const char *path);
#define MAX_SPEC (16u << 20)  /* the largest spec a launcher reads: "LENGTH\n" then LENGTH bytes */
char *read_spec(int fd, size_t *len);
int supervisor_signals(void);
int await_exec(int error_pipe);
void report_exit(int status, const char *exit_file);
int supervise(int control, int sigfd, pid_t pid, int detached);
int run_child(int control, struct spec *spec, pid_t (*start_child)(struct spec *spec),
              void (*child_main)(struct spec *spec, int error_fd));

int launcher_main(const char *socket_path, int spec_fd);

/* server.c: forks container launchers for an engine (skiff-launcher serve SOCKET). */
int server_main(const char *control_socket, const char *join);

/* exec.c */
int exec_main(const char *control_socket, const char *join);

/* tty.c: a pseudo-terminal in the container's devpts, relayed to the launcher's stdin and stdout. */
void tty_prepare(const struct spec *spec, int control);
void tty_attach(const struct spec *spec);
void tty_resize(int rows, int cols);
void tty_stop(void);

/* init.c */
_Noreturn void init_exec(const struct spec *spec);

/* signals.c */
void signals_default(void);

/* tar.c: ustar with pax names, relative to the current root. */
void tar_extract(int fd, const char *what);
void tar_write(const char *path);

/* userns.c: the engine's user namespace (the userns mode holds it, --userns joins it); a file task's own. */
int userns_hold_main(const char *control_socket);
void userns_join(const char *holder);
int userns_joined(void);
int userns_maps_id(const struct id_range *ranges, size_t n, unsigned id);
int userns_setgroups_denied(const struct userns *u);
int userns_write_maps(pid_t child, const struct userns *u);
void userns_await_maps(int sync_fd);

/* cgroup.c: the launcher opens the cgroups' procs files, the child joins them. */
void cgroup_open(struct spec *spec);
void cgroup_join(const struct spec *spec);

/* tasks.c: run in the child, inside the user namespace. */
_Noreturn void task_remove(const struct spec *spec);
_Noreturn void task_chown(const struct spec *spec);
_Noreturn void task_link(const struct spec *spec);

#endif
