#!/usr/bin/env bash
# A private Docker daemon for the benchmarks, isolated in its own network namespace:
#   docker-env.sh start    create netns skiff-bench, start a read-only registry and dockerd inside it
#   docker-env.sh stop     stop exactly what start started (pid files), remove the netns
#   docker-env.sh status   say what runs; exit 0 when everything is up, 3 otherwise
#   docker-env.sh env      print "export DOCKER_HOST=... SKIFF_BENCH_NETNS=..." (eval it): the daemon's socket, and
#                          the namespace to nsenter so as to reach the same registry process as the daemon
#
# Inside the namespace, dockerd sees only its own loopback. A second docker-registry process there serves the
# test-env registry's storage read-only on the same address (127.0.0.1:55000), so `docker pull` and Skiff pull
# the very same blobs. dockerd runs with --iptables=false --ip-masq=false: the namespace has no route out, so
# there is nothing to NAT, and its bridge and ip_forward setting stay inside the namespace.
# Needs root, docker-registry, curl and a test env (test-env/setup.sh); installs Debian's docker.io (dockerd,
# containerd, runc) if missing. Work dir: ${SKIFF_BENCH_CACHE:-/var/cache/skiff-bench}/docker.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NETNS=skiff-bench
NETNS_PATH="/var/run/netns/$NETNS"
WORK="${SKIFF_BENCH_CACHE:-/var/cache/skiff-bench}/docker"
SOCKET="$WORK/docker.sock"
TESTENV_PROPS="$ROOT/.test-env/test-env.properties"

log() { printf 'docker-env: %s\n' "$*"; }
die() { printf 'docker-env: ERROR: %s\n' "$*" >&2; exit 1; }

testenv_setting() {  # testenv_setting KEY DEFAULT
  local v=""
  [ -f "$TESTENV_PROPS" ] && v="$(sed -n "s/^$1=//p" "$TESTENV_PROPS" | tail -n 1)"
  printf '%s' "${v:-$2}"
}

REGISTRY_ADDR="$(testenv_setting registry 127.0.0.1:55000)"
TESTENV_CACHE="$(testenv_setting cache "${SKIFF_TESTENV_CACHE:-/var/cache/skiff-testenv}")"

in_netns() { nsenter --net="$NETNS_PATH" "$@"; }

# alive NAME MATCH: the pid recorded for NAME, if that process still runs and its command line contains MATCH
# (so a recycled pid is never mistaken for ours).
alive() {
  local pid
  pid="$(cat "$WORK/$1.pid" 2>/dev/null)" || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2" \
    && printf '%s' "$pid"
}

registry_answers() {
  [ -e "$NETNS_PATH" ] || return 1
  [ "$(in_netns curl -s -o /dev/null -m 2 -w '%{http_code}' "http://$REGISTRY_ADDR/v2/" || true)" = 200 ]
}

dockerd_answers() {
  [ -S "$SOCKET" ] && [ "$(curl -s -m 2 --unix-socket "$SOCKET" http://docker/_ping || true)" = OK ]
}

# The test-env registry's storage directory, read from its config file (the one that listens on REGISTRY_ADDR).
registry_storage() {
  local config dir
  config="$(grep -lE "addr:[[:space:]]*$REGISTRY_ADDR([[:space:],}]|$)" "$TESTENV_CACHE"/*.yml 2>/dev/null \
    | head -n 1 || true)"
  [ -n "$config" ] || die "no registry config for $REGISTRY_ADDR under $TESTENV_CACHE; run test-env/setup.sh first"
  dir="$(sed -nE 's/.*rootdirectory:[[:space:]]*([^[:space:],}]+).*/\1/p' "$config" | head -n 1)"
  [ -d "$dir/docker/registry/v2" ] \
    || die "the registry storage '$dir' named in $config holds no images; run test-env/setup.sh first"
  printf '%s' "$dir"
}

start_netns() {
  if [ ! -e "$NETNS_PATH" ]; then
    ip netns add "$NETNS" || die "cannot create network namespace $NETNS (needs root and iproute2)"
    log "created network namespace $NETNS"
  fi
  ip -n "$NETNS" link set lo up
}

start_registry() {
  local pid storage
  if pid="$(alive registry "$WORK/registry.yml")"; then
    registry_answers && { log "registry on $REGISTRY_ADDR in $NETNS already running (pid $pid)"; return 0; }
    kill "$pid"; sleep 1   # ours but deaf: start it afresh
  fi
  registry_answers && die "something this script did not start already listens on $REGISTRY_ADDR in netns $NETNS;" \
    "find it with: nsenter --net=$NETNS_PATH ss -ltnp"
  storage="$(registry_storage)"
  cat >"$WORK/registry.yml" <<YAML
# Written by benchmarks/docker-env.sh: the test-env registry's storage, served read-only inside netns $NETNS.
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $storage}
  maintenance: {readonly: {enabled: true}, uploadpurging: {enabled: false}}
http: {addr: $REGISTRY_ADDR, secret: skiff-bench-netns}
YAML
  setsid nsenter --net="$NETNS_PATH" docker-registry serve "$WORK/registry.yml" \
    >>"$WORK/registry.log" 2>&1 </dev/null &
  echo $! >"$WORK/registry.pid"
  for _ in $(seq 50); do
    registry_answers && { log "started registry on $REGISTRY_ADDR in $NETNS (pid $!), serving $storage"; return 0; }
    kill -0 $! 2>/dev/null || break
    sleep 0.1
  done
  tail -n 10 "$WORK/registry.log" >&2
  die "the registry in $NETNS did not answer on $REGISTRY_ADDR; log: $WORK/registry.log"
}

# Debian's docker.io, without letting its system service start (that daemon would live outside the namespace).
install_docker() {
  command -v dockerd >/dev/null && return 0
  log "installing Debian's docker.io (dockerd, containerd, runc); its system service is kept from starting"
  local guard=/usr/sbin/policy-rc.d placed=false rc=0
  if [ ! -e "$guard" ]; then
    printf '#!/bin/sh\n# benchmarks/docker-env.sh: no service starts while docker.io installs\nexit 101\n' >"$guard"
    chmod 755 "$guard"
    placed=true
  fi
  apt-get update -qq >/dev/null 2>&1 || log "apt-get update reported errors (continuing)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null || rc=$?
  $placed && rm -f "$guard"
  [ "$rc" = 0 ] || die "apt-get install docker.io failed (exit $rc); run it by hand to see why"
}

start_dockerd() {
  local pid
  if pid="$(alive dockerd "$WORK/data")"; then
    dockerd_answers && { log "dockerd already running (pid $pid), socket $SOCKET"; return 0; }
    die "dockerd (pid $pid) runs but does not answer on $SOCKET; run '$0 stop' and start again (log: $WORK/dockerd.log)"
  fi
  echo '{}' >"$WORK/daemon.json"   # so that /etc/docker/daemon.json, meant for a system daemon, is not read
  # nsenter, not `ip netns exec`: the latter remounts /sys and dockerd then finds no devices cgroup.
  # setsid and nsenter both exec, so $! is dockerd itself.
  setsid nsenter --net="$NETNS_PATH" dockerd --config-file "$WORK/daemon.json" \
    --data-root "$WORK/data" --exec-root "$WORK/exec" --pidfile "$WORK/exec/dockerd.pid" -H "unix://$SOCKET" \
    --iptables=false --ip-masq=false --insecure-registry "$REGISTRY_ADDR" >>"$WORK/dockerd.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$WORK/dockerd.pid"
  for _ in $(seq 300); do
    dockerd_answers && { log "started dockerd in $NETNS (pid $pid), socket $SOCKET"; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  log "dockerd did not come up; the end of its log ($WORK/dockerd.log):" >&2
  tail -n 15 "$WORK/dockerd.log" >&2
  stop_pid dockerd "$WORK/data" 20
  unmount_leftovers
  die "dockerd could not start (see its log above)"
}

# stop_pid NAME MATCH SECONDS: TERM the process recorded for NAME, KILL it after SECONDS.
stop_pid() {
  local pid
  if ! pid="$(alive "$1" "$2")"; then
    rm -f "$WORK/$1.pid"
    return 0
  fi
  kill "$pid"
  for _ in $(seq $(($3 * 10))); do
    kill -0 "$pid" 2>/dev/null || { log "stopped $1 (pid $pid)"; rm -f "$WORK/$1.pid"; return 0; }
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  log "killed $1 (pid $pid): it did not stop within $3 s"
  rm -f "$WORK/$1.pid"
}

# Mounts dockerd made under the work dir and did not undo (it was killed or failed half-way).
unmount_leftovers() {
  local target
  findmnt -rn -o TARGET | { grep -F "$WORK/" || true; } | sort -r | while read -r target; do
    umount "$target" && log "unmounted $target, left behind by dockerd"
  done
}

cmd_start() {
  [ "$(id -u)" = 0 ] || die "must run as root (network namespaces, dockerd)"
  mkdir -p "$WORK"
  start_netns
  start_registry
  install_docker
  start_dockerd
  log "ready: export DOCKER_HOST=unix://$SOCKET"
}

cmd_stop() {
  # dockerd stops its containers and its own containerd on TERM; give it time to.
  stop_pid dockerd "$WORK/data" 30
  # Only left behind if dockerd was killed; it carries dockerd's exec root in its command line.
  cp "$WORK/exec/containerd/containerd.pid" "$WORK/containerd.pid" 2>/dev/null || true
  stop_pid containerd "$WORK/exec/containerd" 10
  unmount_leftovers
  stop_pid registry "$WORK/registry.yml" 10
  if [ -e "$NETNS_PATH" ]; then
    local left
    left="$(ip netns pids "$NETNS" 2>/dev/null | tr '\n' ' ')"
    if [ -n "$left" ]; then
      log "WARNING: leaving netns $NETNS: processes this script did not start still run in it: $left" >&2
      return 1
    fi
    ip netns del "$NETNS"
    log "removed network namespace $NETNS"
  fi
}

cmd_status() {
  local up=0 pid
  if [ -e "$NETNS_PATH" ]; then log "netns $NETNS: present"; up=$((up + 1)); else log "netns $NETNS: absent"; fi
  if pid="$(alive registry "$WORK/registry.yml")" && registry_answers; then
    log "registry: running (pid $pid) on $REGISTRY_ADDR in $NETNS"; up=$((up + 1))
  else
    log "registry: not running"
  fi
  if pid="$(alive dockerd "$WORK/data")" && dockerd_answers; then
    log "dockerd: running (pid $pid), DOCKER_HOST=unix://$SOCKET"; up=$((up + 1))
  else
    log "dockerd: not running"
  fi
  [ "$up" = 3 ] || return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) echo "export DOCKER_HOST=unix://$SOCKET SKIFF_BENCH_NETNS=$NETNS_PATH" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
