/*
 * Container networks. A network is a network namespace holding one bridge (NETWORK_BRIDGE) and nothing else: no
 * address, no route. skiff-launcher network CONTROL_SOCKET [PERSIST_PATH] makes it and reports "ready\tPID"; the
 * namespace lives as long as that process, which exits when the socket reaches EOF (the JVM closed the network or
 * died). With PERSIST_PATH (skiff network create) it bind-mounts the namespace there instead, like ip netns add,
 * reports "ready\tPID" and exits: the mount keeps the namespace until skiff network rm unmounts it.
 *
 * A member container gets, per network, a veth pair: ethN in its own namespace with the address the JVM allocated
 * (its /24 prefix route is the only route: nothing outside its networks is reachable), the peer in the network's
 * namespace enslaved to the bridge. Both ends vanish with either namespace.
 *
 * Rootless: with --userns the holder joins the engine's user namespace first (userns.c), so the network's namespace
 * and its members' all belong to that user namespace, where the launchers have the capabilities these calls need.
 * A persistent network cannot be made rootless: the bind mount needs privileges over the host's mount namespace.
 */
#include "launcher.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <unistd.h>

#define NETWORK_BRIDGE "skiff0"

int network_main(const char *control_socket, const char *persist_path, const char *join) {
  int control = connect_control(control_socket);
  report_init(control);
  if (join) userns_join(join);
  if (chdir("/") < 0) fail("chdir", "/");  /* hold no directory of the JVM's */
  if (unshare(CLONE_NEWNET) < 0) fail("unshare(CLONE_NEWNET)", "-");
  net_loopback_up();
  int nl = nl_open();
  nl_create_bridge(nl, NETWORK_BRIDGE);
  close(nl);
  if (persist_path) {
    int fd = open(persist_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
    if (fd < 0) fail("open(O_CREAT)", persist_path);
    close(fd);
    if (mount("/proc/self/ns/net", persist_path, NULL, MS_BIND, NULL) < 0) {
      int err = errno;
      unlink(persist_path);
      errno = err;
      fail("mount(MS_BIND)", persist_path);
    }
  }
  report_line("ready\t%d\n", (int)getpid());
  if (persist_path) return 0;
  char buf[64];
  for (;;) {  /* the JVM sends nothing; EOF means the network is closed or the JVM is gone */
    ssize_t n = read(control, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EINTR)) return 0;
  }
}

/* Runs in the container's namespace, CONTAINER_NS, and returns there. */
void network_attach(const struct network_request *network, int index, int container_ns) {
  int ns = open(network->netns, O_RDONLY | O_CLOEXEC);
  if (ns < 0) fail("open(network namespace)", network->netns);
  char ifname[16], peer[16];
  snprintf(ifname, sizeof ifname, "eth%d", index);
  snprintf(peer, sizeof peer, "sk%d_%d", (int)getpid(), index);  /* unique in the network's namespace */
  int nl = nl_open();
  nl_create_veth(nl, ifname, container_ns, peer, ns);
  nl_add_address(nl, ifname, network->address, network->prefix);
  nl_link_up(nl, ifname, NULL);
  close(nl);
  if (setns(ns, CLONE_NEWNET) < 0) fail("setns(network namespace)", network->netns);
  nl = nl_open();
  nl_link_up(nl, peer, NETWORK_BRIDGE);
  close(nl);
  if (setns(container_ns, CLONE_NEWNET) < 0) fail("setns(container network)", "-");
  close(ns);
}

int network_parse_address(const char *text, struct network_request *network) {
  char ip[INET_ADDRSTRLEN];
  int prefix;
  char extra;
  if (sscanf(text, "%15[0-9.]/%d%c", ip, &prefix, &extra) != 2 || prefix < 8 || prefix > 30) return -1;
  struct in_addr a;
  if (inet_pton(AF_INET, ip, &a) != 1) return -1;
  network->address = a.s_addr;
  network->prefix = prefix;
  return 0;
}
