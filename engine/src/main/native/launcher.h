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

/* The container reaches the host's 127.0.0.1:PORT of each exposed host port at this address (host.skiff.internal). */
#define HOST_ACCESS_ADDR "127.0.0.2"

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
  struct port_request *publish;
  size_t n_publish;
  int *host_access;          /* exposed host ports */
  size_t n_host_access;
  int clone_flags;
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
_Noreturn void identity_exec(const struct spec *spec);

/* net.c: makes the container's network namespace and the relay's sockets before the clone. */
void net_prepare(struct spec *spec);
void net_enter(void);
int net_socket(int in_container, int type);
void net_live_in_container(void);
int net_is_namespace_fd(int fd);
struct sockaddr_in net_address(uint32_t host_order_ip, int port);

/* relay.c: forwards published ports and exposed host ports, in a process of its own. */
void relay_add(int fd, int udp, int target_in_container, int target_port);
void relay_start(void);
void relay_stop(void);

#endif
