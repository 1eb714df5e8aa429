/*
 * The container's network namespace: loopback up, its networks' interfaces, no default route: nothing leaves it. The
 * namespace itself before the clone (the child joins it), so that every socket the relay needs exists before the
 * container's command runs: published ports listen on the host's 127.0.0.1, exposed host ports listen on the
 * container's HOST_ACCESS_ADDR (named host.skiff.internal in its /etc/hosts). relay.c forwards between them.
 * The container's networks (network.c) are attached here too, so ethN is up before its command runs.
 *
 * Rootless: the launcher has joined the engine's user namespace (userns.c) and makes the container's network
 * namespace the same way, owned by that user namespace, so the networks' namespaces (owned by it too) accept the
 * veth pairs. It cannot return to the host's namespace afterwards (setns needs CAP_SYS_ADMIN over the initial user
 * namespace): it stays in the container's, where the relay it forks lives too. Published ports' host listeners are
 * bound before it leaves. The host sockets of host access come from a process forked before it leaves (hostsock.c).
 */
#include "launcher.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int host_ns = -1;       /* the launcher's own network namespace */
static int container_ns = -1;  /* the container's, or -1 when it shares the host's */
static int host_sockets = -1;  /* rootless with host access: the socket to the process that makes host sockets */

void net_loopback_up(void) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) fail("socket(AF_INET)", "lo");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strcpy(ifr.ifr_name, "lo");
  if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) fail("ioctl(SIOCGIFFLAGS)", "lo");
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) fail("ioctl(SIOCSIFFLAGS)", "lo");
  close(s);
}

static int in_container_ns;  /* whether this process lives in the container's namespace now */

int net_socket(int in_container, int type) {
  if (!in_container && host_sockets >= 0) return host_socket(host_sockets, type);
  int away = container_ns >= 0 && in_container != in_container_ns;
  if (away && setns(in_container ? container_ns : host_ns, CLONE_NEWNET) < 0) return -1;
  int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int saved = errno;
  if (away && setns(in_container ? host_ns : container_ns, CLONE_NEWNET) < 0) fail("setns", "network namespace");
  errno = saved;
  return fd;
}

void net_live_in_container(void) {
  if (container_ns < 0 || in_container_ns) return;
  if (setns(container_ns, CLONE_NEWNET) < 0) fail("setns", "container network namespace");
  in_container_ns = 1;
}

struct sockaddr_in net_address(uint32_t host_order_ip, int port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(host_order_ip);
  return a;
}

/* A listening (TCP) or bound (UDP) socket on IP:PORT in the host's or the container's namespace; PORT 0 = any. */
static int bind_port(int in_container, int udp, uint32_t ip, int port, const char *what) {
  int fd = net_socket(in_container, udp ? SOCK_DGRAM : SOCK_STREAM);
  if (fd < 0) fail("socket", what);
  struct sockaddr_in a = net_address(ip, port);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) fail("bind", what);
  if (!udp && listen(fd, 1024) < 0) fail("listen", what);
  return fd;
}

static int bound_port(int fd, const char *what) {
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  if (getsockname(fd, (struct sockaddr *)&a, &len) < 0) fail("getsockname", what);
  return ntohs(a.sin_port);
}

/* Makes the container's namespace now, with its networks' interfaces, so the child only joins it. */
static void make_namespace(struct spec *spec) {
  host_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (host_ns < 0) fail("open", "/proc/self/ns/net");
  if (unshare(CLONE_NEWNET) < 0) fail("unshare(CLONE_NEWNET)", "-");
  in_container_ns = 1;
  container_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (container_ns < 0) fail("open", "/proc/self/ns/net (container)");
  net_loopback_up();
  for (size_t i = 0; i < spec->n_networks; i++) network_attach(&spec->networks[i], (int)i, container_ns);
  spec->clone_flags &= ~CLONE_NEWNET;
  if (userns_joined()) return;  /* rootless: no way back (see above); the launcher and its relay live here */
  if (setns(host_ns, CLONE_NEWNET) < 0) fail("setns(host network)", "/proc/self/ns/net");
  in_container_ns = 0;
}

void net_prepare(struct spec *spec) {
  if (!(spec->clone_flags & CLONE_NEWNET)) return;
  if (spec->userns.enabled && !userns_joined()) {
    errno = EINVAL;
    fail("network namespace", "(a rootless container's launcher joins the engine's user namespace: --userns)");
  }
  char what[64];
  for (size_t i = 0; i < spec->n_publish; i++) {
    const struct port_request *p = &spec->publish[i];
    const char *proto = p->udp ? "udp" : "tcp";
    snprintf(what, sizeof what, "127.0.0.1:%d/%s", p->host_port, proto);
    int fd = bind_port(0, p->udp, INADDR_LOOPBACK, p->host_port, what);
    report_line("port\t%s\t%d\t%d\n", proto, p->container_port, bound_port(fd, what));
    relay_add(fd, p->udp, 1, p->container_port);
  }
  if (userns_joined() && spec->n_host_access > 0) host_sockets = host_sockets_start();
  make_namespace(spec);
  for (size_t i = 0; i < spec->n_host_access; i++) {
    snprintf(what, sizeof what, "%s:%d/tcp in the container", HOST_ACCESS_ADDR, spec->host_access[i]);
    int fd = bind_port(1, 0, ntohl(inet_addr(HOST_ACCESS_ADDR)), spec->host_access[i], what);
    relay_add(fd, 0, 0, spec->host_access[i]);
  }
}

void net_enter(const struct spec *spec) {
  (void)spec;
  if (container_ns >= 0 && !in_container_ns && setns(container_ns, CLONE_NEWNET) < 0) {
    fail("setns(container network)", "-");
  }
}

int net_keeps_fd(int fd) {
  return fd >= 0 && (fd == host_ns || fd == container_ns || fd == host_sockets);
}
