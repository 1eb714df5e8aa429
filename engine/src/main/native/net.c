/*
 * The container's network namespace: loopback up, its networks' interfaces, no default route: nothing leaves it. The
 * namespace itself before the clone (the child joins it), so that every socket the relay needs exists before the
 * container's command runs: published ports listen on the host's 127.0.0.1, exposed host ports listen on the
 * container's HOST_ACCESS_ADDR (named host.skiff.internal in its /etc/hosts). relay.c forwards between them.
 * The container's networks (network.c) are attached here too, so ethN is up before its command runs.
 *
 * Rootless: an unprivileged launcher cannot make a network namespace before the clone. The clone makes it, owned by
 * the container's user namespace, and the child brings its loopback up; the launcher adopts it (net_adopt) while
 * the child waits for its maps. Published ports' host listeners are bound here before the clone, as for root; the
 * relay joins the container's user namespace (its euid owns it, so it gets the capabilities there) and then its
 * network namespace, and makes the container-side sockets there. It cannot return to the host's namespace from
 * there, so host access is refused rootless for now (the JVM says so first).
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
static int container_userns = -1;  /* rootless: the container's user namespace, which owns container_ns */

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
  int away = container_ns >= 0 && in_container != in_container_ns;
  if (away && setns(in_container ? container_ns : host_ns, CLONE_NEWNET) < 0) return -1;
  int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int saved = errno;
  if (away && setns(in_container ? host_ns : container_ns, CLONE_NEWNET) < 0) fail("setns", "network namespace");
  errno = saved;
  return fd;
}

void net_live_in_container(void) {
  if (container_ns < 0) return;
  if (container_userns >= 0 && setns(container_userns, CLONE_NEWUSER) < 0) fail("setns", "container user namespace");
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

/* Root: makes the container's namespace now, so the child only joins it. */
static void make_namespace(struct spec *spec) {
  host_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (host_ns < 0) fail("open", "/proc/self/ns/net");
  if (unshare(CLONE_NEWNET) < 0) fail("unshare(CLONE_NEWNET)", "-");
  container_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (container_ns < 0) fail("open", "/proc/self/ns/net (container)");
  net_loopback_up();
  if (setns(host_ns, CLONE_NEWNET) < 0) fail("setns(host network)", "/proc/self/ns/net");
  for (size_t i = 0; i < spec->n_networks; i++) network_attach(&spec->networks[i], (int)i, host_ns, container_ns);
  spec->clone_flags &= ~CLONE_NEWNET;
}

void net_prepare(struct spec *spec) {
  if (!(spec->clone_flags & CLONE_NEWNET)) return;
  if (!spec->userns.enabled) {
    make_namespace(spec);
  } else if (spec->n_host_access > 0) {
    errno = ENOTSUP;  /* the relay, once in the container's user namespace, cannot connect to the host's ports */
    fail("hostaccess", "(exposed host ports in a user namespace)");
  } else if (spec->n_networks > 0) {
    errno = ENOTSUP;  /* veths between namespaces of different user namespaces need one engine-wide user namespace */
    fail("network", "(container networks in a user namespace)");
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
  for (size_t i = 0; i < spec->n_host_access; i++) {
    snprintf(what, sizeof what, "%s:%d/tcp in the container", HOST_ACCESS_ADDR, spec->host_access[i]);
    int fd = bind_port(1, 0, ntohl(inet_addr(HOST_ACCESS_ADDR)), spec->host_access[i], what);
    relay_add(fd, 0, 0, spec->host_access[i]);
  }
}

int net_adopt(pid_t child, const struct spec *spec) {
  if (!(spec->clone_flags & CLONE_NEWNET) || spec->n_publish == 0) return 0;  /* the relay is all that needs them */
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ns/user", (int)child);
  container_userns = open(path, O_RDONLY | O_CLOEXEC);
  if (container_userns >= 0) {
    snprintf(path, sizeof path, "/proc/%d/ns/net", (int)child);
    container_ns = open(path, O_RDONLY | O_CLOEXEC);
  }
  if (container_userns < 0 || container_ns < 0) {
    report_error("open", path, errno);
    return -1;
  }
  return 0;
}

void net_enter(const struct spec *spec) {
  if (container_ns >= 0) {
    if (setns(container_ns, CLONE_NEWNET) < 0) fail("setns(container network)", "-");
  } else if (spec->clone_flags & CLONE_NEWNET) {
    net_loopback_up();  /* rootless: the clone made the namespace, in the container's user namespace */
  }
}

int net_is_namespace_fd(int fd) {
  return fd >= 0 && (fd == host_ns || fd == container_ns || fd == container_userns);
}
