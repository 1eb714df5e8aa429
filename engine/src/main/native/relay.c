/*
 * The port relay: a process forked by the launcher once the container runs, forwarding TCP connections and UDP
 * datagrams from the listening sockets net.c made to 127.0.0.1:PORT in the other network namespace. One thread,
 * edge-triggered epoll, a buffer per direction of a connection (64 KiB, 1 MiB once it streams). It dies with the
 * launcher.
 *
 * Why a relay in the launcher, with read/write: prototypes streaming 1 GiB over loopback on this 2-core machine
 * (C client and sink, quiet machine): direct ~3 GB/s; epoll relay with read/write and 1 MiB buffers ~2 GB/s; the
 * same with splice(2) through a 1 MiB pipe only ~1.3 GB/s; a JVM relay (NIO, 1 MiB direct buffers, a thread per
 * direction) ~1.9 GB/s, but its container-side sockets need setns from the JVM, which only root may do. The
 * launcher relay works the same way rootless (see net.c). PortRelayBenchmark measures this relay (Java ends, busy
 * machine at load 11-22): 1 GiB 441-607 MB/s vs direct 766-1374 MB/s; connect + round trip 297 us vs 134 us.
 *
 * A connection whose container port does not listen is reset at once (RST), so that clients retry.
 */
#include "launcher.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define SMALL_BUFFER (64 << 10)  /* every direction starts with one, kept for reuse: munmap took ~100 us here */
#define BUFFER_SIZE (1 << 20)    /* for a direction that fills SMALL_BUFFER: fewer system calls per byte */
#define MAX_POOLED 64
#define MAX_FORWARDS 256
#define MAX_UDP_FLOWS 64
#define MAX_DATAGRAM 65536

enum kind { LISTENER, UDP_FRONT, UDP_FLOW, CONN_CLIENT, CONN_TARGET };

/* What an epoll event refers to. */
struct endpoint {
  enum kind kind;
  void *owner;
  int index;
};

/* One UDP peer of a published port: its own socket towards the target, so replies find their way back. */
struct flow {
  struct endpoint ep;
  int fd;
  struct sockaddr_in peer;
  unsigned long last_used;
};

struct forward {
  struct endpoint ep;
  int fd;
  int udp;
  int target_in_container;
  int target_port;
  struct flow flows[MAX_UDP_FLOWS];
};

/* One direction of a TCP connection. */
struct half {
  int from, to;
  char *buf;
  size_t cap, len, off;
  int full_reads;
  int eof, shut;
};

struct conn {
  struct endpoint client, target;
  int fd[2];  /* accepted, target */
  struct half h[2];
  int connecting;
  int dead;
  struct conn *next_dead;
};

static char *pool[MAX_POOLED];  /* free SMALL_BUFFERs */
static int pooled;

static char *buffer_get(size_t cap) {
  return cap == SMALL_BUFFER && pooled > 0 ? pool[--pooled] : malloc(cap);
}

static void buffer_put(char *buf, size_t cap) {
  if (buf && cap == SMALL_BUFFER && pooled < MAX_POOLED) pool[pooled++] = buf;
  else free(buf);
}

static struct forward forwards[MAX_FORWARDS];
static size_t n_forwards;
static int ep_fd = -1;
static pid_t relay_pid = -1;
static unsigned long clock_ticks;
static struct conn *dead_conns;

void relay_add(int fd, int udp, int target_in_container, int target_port) {
  if (n_forwards == MAX_FORWARDS) {
    errno = E2BIG;
    fail("relay_add", "more than 256 published ports");
  }
  struct forward *f = &forwards[n_forwards++];
  f->fd = fd;
  f->udp = udp;
  f->target_in_container = target_in_container;
  f->target_port = target_port;
  for (int i = 0; i < MAX_UDP_FLOWS; i++) f->flows[i].fd = -1;
}

static int watch(int fd, struct endpoint *ep) {
  struct epoll_event e = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = ep};
  return epoll_ctl(ep_fd, EPOLL_CTL_ADD, fd, &e);
}

static void set_int(int fd, int level, int option, int value) {
  setsockopt(fd, level, option, &value, sizeof value);
}

/* Closes both sockets, with RST when `reset` (SO_LINGER 0) so that the peers see the failure, not an orderly end. */
static void conn_close(struct conn *c, int reset) {
  if (c->dead) return;
  c->dead = 1;
  for (int i = 0; i < 2; i++) {
    if (c->fd[i] < 0) continue;
    if (reset) {
      struct linger l = {1, 0};
      setsockopt(c->fd[i], SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    close(c->fd[i]);
  }
  c->next_dead = dead_conns;  /* freed after this batch of events, which may still name it */
  dead_conns = c;
}

/* Moves what it can; returns -1 on a socket error. */
static int pump(struct half *h) {
  for (;;) {
    int progress = 0;
    if (h->len == 0 && !h->eof) {
      if (!h->buf || (h->full_reads > 1 && h->cap < BUFFER_SIZE)) {
        size_t cap = h->buf ? BUFFER_SIZE : SMALL_BUFFER;
        char *buf = buffer_get(cap);
        if (!buf) return -1;
        buffer_put(h->buf, h->cap);
        h->buf = buf;
        h->cap = cap;
      }
      ssize_t n = read(h->from, h->buf, h->cap);
      h->full_reads += n == (ssize_t)h->cap;
      if (n > 0) {
        h->len = (size_t)n;
        h->off = 0;
        progress = 1;
      } else if (n == 0) {
        h->eof = 1;
      } else if (errno != EAGAIN && errno != EINTR) {
        return -1;
      }
    }
    if (h->len > 0) {
      ssize_t n = write(h->to, h->buf + h->off, h->len);
      if (n > 0) {
        h->len -= (size_t)n;
        h->off += (size_t)n;
        progress = 1;
      } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        return -1;
      }
    }
    if (!progress) break;
  }
  if (h->eof && h->len == 0 && !h->shut) {
    shutdown(h->to, SHUT_WR);
    h->shut = 1;
  }
  return 0;
}

static void conn_event(struct conn *c, int from_target, uint32_t events) {
  if (c->dead) return;
  if (c->connecting) {
    if (!from_target) return;  /* the client's data waits in its socket until the target accepts */
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c->fd[1], SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return conn_close(c, 1);
    if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
    c->connecting = 0;
  }
  if (pump(&c->h[0]) < 0 || pump(&c->h[1]) < 0) return conn_close(c, 1);
  if (c->h[0].shut && c->h[1].shut) conn_close(c, 0);
  else if (events & EPOLLERR) conn_close(c, 1);
}

static void accept_all(struct forward *f) {
  for (;;) {
    int client = accept4(f->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  /* EAGAIN, or out of descriptors: the connection waits in the backlog */
    }
    struct conn *c = calloc(1, sizeof *c);
    int target = net_socket(f->target_in_container, SOCK_STREAM);
    if (!c || target < 0) {
      struct linger l = {1, 0};
      setsockopt(client, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      close(client);
      if (target >= 0) close(target);
      free(c);
      continue;
    }
    set_int(client, IPPROTO_TCP, TCP_NODELAY, 1);
    set_int(target, IPPROTO_TCP, TCP_NODELAY, 1);
    c->fd[0] = client;
    c->fd[1] = target;
    c->h[0] = (struct half){.from = client, .to = target};
    c->h[1] = (struct half){.from = target, .to = client};
    c->client = (struct endpoint){CONN_CLIENT, c, 0};
    c->target = (struct endpoint){CONN_TARGET, c, 1};
    struct sockaddr_in to = net_address(INADDR_LOOPBACK, f->target_port);
    int rc = connect(target, (struct sockaddr *)&to, sizeof to);
    c->connecting = rc < 0 && errno == EINPROGRESS;
    if ((rc < 0 && !c->connecting) || watch(client, &c->client) < 0 || watch(target, &c->target) < 0) {
      conn_close(c, 1);
    }
  }
}

static struct flow *flow_for(struct forward *f, const struct sockaddr_in *peer) {
  struct flow *oldest = &f->flows[0];
  for (int i = 0; i < MAX_UDP_FLOWS; i++) {
    struct flow *fl = &f->flows[i];
    if (fl->fd >= 0 && fl->peer.sin_port == peer->sin_port && fl->peer.sin_addr.s_addr == peer->sin_addr.s_addr) {
      return fl;
    }
    if (fl->fd < 0 || (oldest->fd >= 0 && fl->last_used < oldest->last_used)) oldest = fl;
  }
  if (oldest->fd >= 0) close(oldest->fd);  /* the least recently used peer makes room */
  oldest->fd = net_socket(f->target_in_container, SOCK_DGRAM);
  if (oldest->fd < 0) return NULL;
  struct sockaddr_in to = net_address(INADDR_LOOPBACK, f->target_port);
  oldest->peer = *peer;
  oldest->ep = (struct endpoint){UDP_FLOW, f, (int)(oldest - f->flows)};
  if (connect(oldest->fd, (struct sockaddr *)&to, sizeof to) < 0 || watch(oldest->fd, &oldest->ep) < 0) {
    close(oldest->fd);
    oldest->fd = -1;
    return NULL;
  }
  return oldest;
}

static void udp_front(struct forward *f, char *buf) {
  for (;;) {
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    ssize_t n = recvfrom(f->fd, buf, MAX_DATAGRAM, 0, (struct sockaddr *)&peer, &len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return;
    struct flow *fl = flow_for(f, &peer);
    if (!fl) continue;
    fl->last_used = ++clock_ticks;
    send(fl->fd, buf, (size_t)n, 0);  /* ECONNREFUSED until the container listens: dropped, as UDP may */
  }
}

static void udp_flow(struct forward *f, struct flow *fl, char *buf) {
  for (;;) {
    ssize_t n = recv(fl->fd, buf, MAX_DATAGRAM, 0);
    if (n < 0 && (errno == EINTR || errno == ECONNREFUSED)) continue;
    if (n < 0) return;
    fl->last_used = ++clock_ticks;
    sendto(f->fd, buf, (size_t)n, 0, (struct sockaddr *)&fl->peer, sizeof fl->peer);
  }
}

static int is_relay_fd(int fd) {
  for (size_t i = 0; i < n_forwards; i++) {
    if (forwards[i].fd == fd) return 1;
  }
  return net_keeps_fd(fd);
}

/*
 * Keeps only the sockets and namespaces it relays with. The launcher's stdout and stderr carry the container's
 * output and its control socket tells the JVM that the launcher is gone: holding them would keep both open.
 */
static void close_inherited_fds(void) {
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd = 0; fd < 3; fd++) dup2(null, fd);
  DIR *dir = opendir("/proc/self/fd");
  if (!dir) _exit(1);
  int own = dirfd(dir);
  struct dirent *d;
  while ((d = readdir(dir))) {
    int fd = atoi(d->d_name);
    if (d->d_name[0] != '.' && fd > 2 && fd != own && !is_relay_fd(fd)) close(fd);
  }
  closedir(dir);
}

/* ready_fd: the launcher hears of a failure to join the container's namespaces on it; closed once it is in. */
static _Noreturn void relay_main(pid_t launcher, int ready_fd) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != launcher) _exit(0);
  report_init(ready_fd);
  net_live_in_container();  /* most connections go there: no setns per connection */
  close_inherited_fds();
  ep_fd = epoll_create1(EPOLL_CLOEXEC);
  char *datagram = malloc(MAX_DATAGRAM);
  if (ep_fd < 0 || !datagram) _exit(1);
  for (size_t i = 0; i < n_forwards; i++) {
    struct forward *f = &forwards[i];
    f->ep = (struct endpoint){f->udp ? UDP_FRONT : LISTENER, f, 0};
    if (watch(f->fd, &f->ep) < 0) _exit(1);
  }
  struct epoll_event events[64];
  for (;;) {
    int n = epoll_wait(ep_fd, events, 64, -1);
    for (int i = 0; i < n; i++) {
      struct endpoint *e = events[i].data.ptr;
      switch (e->kind) {
        case LISTENER: accept_all(e->owner); break;
        case UDP_FRONT: udp_front(e->owner, datagram); break;
        case UDP_FLOW: {
          struct forward *f = e->owner;
          udp_flow(f, &f->flows[e->index], datagram);
          break;
        }
        case CONN_CLIENT:
        case CONN_TARGET: conn_event(e->owner, e->kind == CONN_TARGET, events[i].events); break;
      }
    }
    while (dead_conns) {
      struct conn *c = dead_conns;
      dead_conns = c->next_dead;
      buffer_put(c->h[0].buf, c->h[0].cap);
      buffer_put(c->h[1].buf, c->h[1].cap);
      free(c);
    }
  }
}

int relay_start(void) {
  if (n_forwards == 0) return 0;
  pid_t launcher = getpid();
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) < 0) fail("pipe2", "port relay");
  pid_t pid = fork();
  if (pid < 0) fail("fork", "port relay");
  if (pid == 0) {
    close(ready[0]);
    relay_main(launcher, ready[1]);
  }
  close(ready[1]);
  relay_pid = pid;
  for (size_t i = 0; i < n_forwards; i++) close(forwards[i].fd);  /* the relay holds them now */
  int joined = await_exec(ready[0]);
  close(ready[0]);
  if (joined < 0) relay_stop();
  return joined;
}

void relay_stop(void) {
  if (relay_pid > 0) {
    kill(relay_pid, SIGKILL);
    while (waitpid(relay_pid, NULL, 0) < 0 && errno == EINTR) {}
    relay_pid = -1;
  }
  host_sockets_stop();  /* the relay's source of host sockets */
}
