/*
 * rtnetlink for container networks: a bridge per network, a veth pair per member, an address per member. Each call
 * acts in the network namespace its socket was made in; every failure names the call, the interface and errno.
 * The few kernel ABI structures are declared here because musl ships no Linux uapi headers; they are stable ABI.
 */
#include "launcher.h"

#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NETLINK_ROUTE 0
#define NLMSG_ERROR 2
#define NLM_F_REQUEST 0x1
#define NLM_F_ACK 0x4
#define NLM_F_EXCL 0x200
#define NLM_F_CREATE 0x400
#define RTM_NEWLINK 16
#define RTM_NEWADDR 20
#define IFLA_IFNAME 3
#define IFLA_MASTER 10
#define IFLA_LINKINFO 18
#define IFLA_NET_NS_FD 28
#define IFLA_INFO_KIND 1
#define IFLA_INFO_DATA 2
#define VETH_INFO_PEER 1
#define IFA_ADDRESS 1
#define IFA_LOCAL 2

struct nlmsghdr {
  uint32_t nlmsg_len;
  uint16_t nlmsg_type, nlmsg_flags;
  uint32_t nlmsg_seq, nlmsg_pid;
};
struct nlmsgerr {
  int error;
  struct nlmsghdr msg;
};
struct ifinfomsg {
  unsigned char ifi_family, ifi_pad;
  unsigned short ifi_type;
  int ifi_index;
  unsigned ifi_flags, ifi_change;
};
struct ifaddrmsg {
  uint8_t ifa_family, ifa_prefixlen, ifa_flags, ifa_scope;
  uint32_t ifa_index;
};
struct rtattr {
  unsigned short rta_len, rta_type;
};

#define ALIGN4(n) (((n) + 3u) & ~3u)

/* One request under construction; nested attributes are closed by nest_end. */
struct request {
  union {
    struct nlmsghdr h;
    char buf[1024];
  } u;
};

static void *tail(struct request *r) {
  return r->u.buf + ALIGN4(r->u.h.nlmsg_len);
}

static void start(struct request *r, uint16_t type, uint16_t flags, const void *body, size_t len) {
  memset(r, 0, sizeof *r);
  r->u.h.nlmsg_len = (uint32_t)(sizeof r->u.h + len);
  r->u.h.nlmsg_type = type;
  r->u.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
  memcpy(r->u.buf + sizeof r->u.h, body, len);
}

static struct rtattr *attr(struct request *r, unsigned short type, const void *data, size_t len) {
  struct rtattr *a = tail(r);
  a->rta_type = type;
  a->rta_len = (unsigned short)(sizeof *a + len);
  if (len) memcpy(a + 1, data, len);
  r->u.h.nlmsg_len = ALIGN4(r->u.h.nlmsg_len) + a->rta_len;
  return a;
}

static void nest_end(struct request *r, struct rtattr *nest) {
  nest->rta_len = (unsigned short)((char *)r->u.buf + r->u.h.nlmsg_len - (char *)nest);
}

/* Sends the request and reads the kernel's acknowledgement; a refusal fails with CALL and the interface NAME. */
static void transact(int nl, struct request *r, const char *call, const char *name) {
  static uint32_t seq;
  r->u.h.nlmsg_seq = ++seq;
  if (send(nl, r, r->u.h.nlmsg_len, 0) < 0) fail(call, name);
  char reply[4096];
  for (;;) {
    ssize_t n = recv(nl, reply, sizeof reply, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < (ssize_t)(sizeof(struct nlmsghdr) + sizeof(struct nlmsgerr))) {
      if (n >= 0) errno = EPROTO;
      fail(call, name);
    }
    const struct nlmsghdr *h = (const void *)reply;
    if (h->nlmsg_type != NLMSG_ERROR || h->nlmsg_seq != seq) continue;
    const struct nlmsgerr *e = (const void *)(h + 1);
    if (e->error == 0) return;
    errno = -e->error;
    fail(call, name);
  }
}

int nl_open(void) {
  int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (nl < 0) fail("socket(AF_NETLINK)", "-");
  return nl;
}

void nl_create_bridge(int nl, const char *name) {
  struct request r;
  struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP};
  start(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof ifi);
  attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
  struct rtattr *info = attr(&r, IFLA_LINKINFO, NULL, 0);
  attr(&r, IFLA_INFO_KIND, "bridge", 7);
  nest_end(&r, info);
  transact(nl, &r, "netlink(RTM_NEWLINK bridge)", name);
}

void nl_create_veth(int nl, const char *name, int ns_fd, const char *peer, int peer_ns_fd) {
  struct request r;
  struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
  start(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof ifi);
  attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
  attr(&r, IFLA_NET_NS_FD, &ns_fd, sizeof ns_fd);
  struct rtattr *info = attr(&r, IFLA_LINKINFO, NULL, 0);
  attr(&r, IFLA_INFO_KIND, "veth", 5);
  struct rtattr *data = attr(&r, IFLA_INFO_DATA, NULL, 0);
  struct rtattr *peer_info = attr(&r, VETH_INFO_PEER, &ifi, sizeof ifi);
  attr(&r, IFLA_IFNAME, peer, strlen(peer) + 1);
  attr(&r, IFLA_NET_NS_FD, &peer_ns_fd, sizeof peer_ns_fd);
  nest_end(&r, peer_info);
  nest_end(&r, data);
  nest_end(&r, info);
  transact(nl, &r, "netlink(RTM_NEWLINK veth)", name);
}

void nl_link_up(int nl, const char *name, const char *master) {
  struct request r;
  struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP};
  start(&r, RTM_NEWLINK, 0, &ifi, sizeof ifi);
  attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
  if (master) {
    unsigned index = if_nametoindex(master);  /* in this process's current namespace: the socket's */
    if (index == 0) fail("if_nametoindex", master);
    attr(&r, IFLA_MASTER, &index, sizeof index);
  }
  transact(nl, &r, "netlink(RTM_NEWLINK up)", name);
}

void nl_add_address(int nl, const char *name, uint32_t address, int prefix) {
  unsigned index = if_nametoindex(name);
  if (index == 0) fail("if_nametoindex", name);
  struct request r;
  struct ifaddrmsg ifa = {.ifa_family = AF_INET, .ifa_prefixlen = (uint8_t)prefix, .ifa_index = index};
  start(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof ifa);
  attr(&r, IFA_LOCAL, &address, sizeof address);
  attr(&r, IFA_ADDRESS, &address, sizeof address);
  transact(nl, &r, "netlink(RTM_NEWADDR)", name);
}
