#!/usr/bin/env bash
# Prepares Skiff's test environment: Debian packages, test images (cached), two local registries.
# Idempotent; a second run with everything built takes seconds. See test-env/README.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
CACHE="${SKIFF_TESTENV_CACHE:-/var/cache/skiff-testenv}"
OUT="$ROOT/.test-env"
PLAIN_ADDR=127.0.0.1:55000
AUTH_ADDR=127.0.0.1:55001
AUTH_USER=skiff
AUTH_PASSWORD=skiff-secret
# A registry that wants Bearer tokens from a token service; the tests run that service (it signs with TOKEN_DIR/key.pem).
TOKEN_ADDR=127.0.0.1:55002
TOKEN_REALM=http://127.0.0.1:55003/token
TOKEN_SERVICE=skiff-testenv-token
TOKEN_ISSUER=skiff-testenv-token-issuer
PACKAGES=(mmdebstrap docker-registry busybox-static apache2-utils zstd python3 curl uidmap openssl)
# One fixed epoch: every timestamp in every image derives from it, so rebuilds give identical blobs.
export SOURCE_DATE_EPOCH=1704067200
PYTHON=/usr/bin/python3

log() { printf 'test-env: %s\n' "$*"; }
die() { printf 'test-env: ERROR: %s\n' "$*" >&2; exit 1; }

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local aptlog
  aptlog="$(mktemp /tmp/skiff-testenv-apt.XXXXXX)"
  # Third-party sources on some machines are unreachable; apt still refreshes the Debian ones.
  apt-get update -qq >"$aptlog" 2>&1 || log "apt-get update reported errors (continuing)"
  # The lock timeout lets a concurrent run's install finish first instead of failing on dpkg's lock.
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      -o DPkg::Lock::Timeout=600 "${missing[@]}" >>"$aptlog" 2>&1; then
    tail -n 20 "$aptlog" >&2
    die "apt-get install ${missing[*]} failed (log: $aptlog)"
  fi
  rm -f "$aptlog"
}

install_packages

mkdir -p "$CACHE" "$OUT"
# Serialise concurrent runs; fd 9 is closed for the registries so they never hold the lock.
exec 9>"$CACHE/lock"
flock -n 9 || { log "waiting for another setup.sh run (lock $CACHE/lock)"; flock 9; }

# ------------------------------------------------------------------------------------------ root filesystems
# Each tar is named after a hash of its recipe (mmdebstrap version, arguments, apt sources), so it is
# rebuilt only when the recipe changes and checkouts with different recipes can share the cache.
ROOTFS="$CACHE/rootfs"
DEBS="$CACHE/debs"   # downloaded .debs, shared by all mmdebstrap runs so each package is fetched once
ROOTFS_ARGS=()       # --rootfs NAME=TAR for imagetool.py
mkdir -p "$ROOTFS"
# Tars no checkout has used for two weeks are from old recipes.
find "$ROOTFS" -maxdepth 1 -name '*.tar' -mtime +14 -exec sh -c 'rm -f "$1" "${1%.tar}".*' sh {} \;

# mmdebstrap's scratch dir; a run killed midway leaves mounts (proc, sys, dev/pts) in it, undone here.
SCRATCH="$CACHE/mmdebstrap-tmp"
clean_scratch() {
  local mnt
  if [ -d "$SCRATCH" ]; then
    awk -v d="$SCRATCH/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | while read -r mnt; do
      umount -l "$mnt"
    done
    grep -q " $SCRATCH/" /proc/mounts && die "could not unmount leftovers under $SCRATCH"
    rm -rf "$SCRATCH"
  fi
  mkdir -p "$SCRATCH"
}

# Options of every build: merged /usr without the usrmerge package (and its perl), no docs or
# translations, shared .deb cache, and no host-specific resolv.conf/hostname in the tree.
MMDEBSTRAP_OPTS=(--variant=minbase --mode=root --format=tar --skip=essential/unlink
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/locale/*'
  --setup-hook='mkdir -p "$1"/var/cache/apt/archives/'
  --setup-hook="sync-in $DEBS /var/cache/apt/archives/"
  --customize-hook="sync-out /var/cache/apt/archives $DEBS"
  --customize-hook='rm -f "$1"/etc/resolv.conf "$1"/etc/hostname')

build_rootfs() {  # build_rootfs NAME [mmdebstrap options...]: $ROOTFS/NAME-<recipe hash>.tar
  local name="$1"; shift
  local recipe tar sources=/etc/apt/sources.list.d/debian.sources
  [ -f "$sources" ] || sources=""   # without it mmdebstrap uses deb.debian.org with updates and security
  recipe="$(printf '%s\n' "mmdebstrap $(dpkg-query -W -f='${Version}' mmdebstrap)" "${MMDEBSTRAP_OPTS[@]}" \
    "$@" "$sources" ${sources:+"$(cat "$sources")"})"
  tar="$ROOTFS/$name-$(printf '%s' "$recipe" | sha256sum | cut -c1-16).tar"
  ROOTFS_ARGS+=(--rootfs "$name=$tar")
  if [ -f "$tar" ]; then
    touch "$tar"
    return 0
  fi
  log "building rootfs $name with mmdebstrap (one to four minutes)"
  mkdir -p "$DEBS"
  clean_scratch
  if ! TMPDIR="$SCRATCH" mmdebstrap "${MMDEBSTRAP_OPTS[@]}" "$@" bookworm "$tar.tmp" $sources \
      >"${tar%.tar}.log" 2>&1; then
    tail -n 20 "${tar%.tar}.log" >&2
    die "mmdebstrap for rootfs $name failed; full log: ${tar%.tar}.log"
  fi
  printf '%s' "$recipe" >"${tar%.tar}.recipe"
  mv "$tar.tmp" "$tar"
}

build_rootfs base
build_rootfs redis --include=redis-server \
  --customize-hook='mkdir -p "$1"/data && chroot "$1" chown redis:redis /data'
# Like the official image: no cluster from the package, listen on all addresses by default.
# (/run is emptied by mmdebstrap; the entrypoints create /run/postgresql and /run/mysqld.)
# The JIT provider and its 100 MB libLLVM go: without them PostgreSQL just runs with JIT unavailable.
build_rootfs postgres --include=postgresql-15 \
  --customize-hook='rm -rf "$1"/var/lib/postgresql/15 "$1"/etc/postgresql/15' \
  --customize-hook='rm -rf "$1"/usr/lib/postgresql/15/lib/llvmjit* "$1"/usr/lib/postgresql/15/lib/bitcode "$1"/usr/lib/x86_64-linux-gnu/libLLVM-*' \
  --customize-hook='sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '"'*'"'!" "$1"/usr/share/postgresql/15/postgresql.conf.sample' \
  --customize-hook='mkdir -p "$1"/docker-entrypoint-initdb.d "$1"/var/lib/postgresql/data' \
  --customize-hook='chroot "$1" chown -R postgres:postgres /var/lib/postgresql && chmod 1777 "$1"/var/lib/postgresql/data'
# Like the official image: no database from the package, listen on all addresses, no name resolution
# (so a TCP login from 127.0.0.1 matches user@'%', not user@localhost).
build_rootfs mariadb --include=mariadb-server \
  --customize-hook='sed -ri "s/^(bind-address|skip-networking)/#&/" "$1"/etc/mysql/mariadb.conf.d/50-server.cnf' \
  --customize-hook='printf "[mariadb]\nhost-cache-size=0\nskip-name-resolve\n" >"$1"/etc/mysql/mariadb.conf.d/05-skipcache.cnf' \
  --customize-hook='rm -rf "$1"/var/lib/mysql && mkdir -p "$1"/var/lib/mysql "$1"/docker-entrypoint-initdb.d' \
  --customize-hook='chroot "$1" chown mysql:mysql /var/lib/mysql'
build_rootfs node18 --include=nodejs

# ------------------------------------------------------------------------------------------ images
STORE="$CACHE/store"
"$PYTHON" "$HERE/imagetool.py" build --spec "$HERE/images.json" --store "$STORE" "${ROOTFS_ARGS[@]}" \
  --out "$CACHE/refs.json" || die "building the test images failed (see above)"

# ------------------------------------------------------------------------------------------ rootless user
# Rootless tests run a child JVM as this user: 65536 subordinate uids and gids for newuidmap/newgidmap, and a
# home (its own image store) outside root's.
ROOTLESS_USER=skiff-rootless
ROOTLESS_HOME=/home/$ROOTLESS_USER
ROOTLESS_IDS=65536
setup_rootless_user() {
  if ! id -u "$ROOTLESS_USER" >/dev/null 2>&1; then
    log "creating user $ROOTLESS_USER (home $ROOTLESS_HOME)"
    useradd --system --user-group --home-dir "$ROOTLESS_HOME" --shell /usr/sbin/nologin "$ROOTLESS_USER"
  fi
  [ "$(getent passwd "$ROOTLESS_USER" | cut -d: -f6)" = "$ROOTLESS_HOME" ] || usermod -d "$ROOTLESS_HOME" "$ROOTLESS_USER"
  mkdir -p "$ROOTLESS_HOME"
  chown "$ROOTLESS_USER:$ROOTLESS_USER" "$ROOTLESS_HOME"
  chmod 755 "$ROOTLESS_HOME"
  local kind file start
  for kind in uid gid; do
    file="/etc/sub$kind"
    touch "$file"
    grep -q "^$ROOTLESS_USER:" "$file" && continue
    # The first free start above every existing range, and never below 100000 (login.defs' default).
    start="$(awk -F: 'BEGIN { s = 100000 } NF == 3 && $2 + $3 > s { s = $2 + $3 } END { print s }' "$file")"
    printf '%s:%s:%s\n' "$ROOTLESS_USER" "$start" "$ROOTLESS_IDS" >>"$file"
    log "gave $ROOTLESS_USER sub${kind}s $start-$((start + ROOTLESS_IDS - 1))"
  done
}
setup_rootless_user

# ------------------------------------------------------------------------------------------ registries
PLAIN_DIR="$CACHE/registry"

answers() {  # answers ADDR: the registry's /v2/ endpoint gives any HTTP status
  local code
  code="$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://$1/v2/" || true)"
  [ "$code" = 200 ] || [ "$code" = 401 ]
}

port_taken() {  # port_taken ADDR
  (exec 3<>"/dev/tcp/${1%:*}/${1#*:}") 2>/dev/null
}

write_configs() {
  mkdir -p "$PLAIN_DIR"
  local token_dir="$CACHE/token"
  if [ ! -s "$token_dir/cert.pem" ] || [ ! -s "$token_dir/key.pem" ]; then
    mkdir -p "$token_dir"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$TOKEN_ISSUER" \
      -keyout "$token_dir/key.pem" -out "$token_dir/cert.pem" 2>/dev/null || die "openssl could not make the token key"
  fi
  if ! htpasswd -vb "$CACHE/htpasswd" "$AUTH_USER" "$AUTH_PASSWORD" >/dev/null 2>&1; then
    htpasswd -Bbn "$AUTH_USER" "$AUTH_PASSWORD" >"$CACHE/htpasswd"
  fi
  cat >"$CACHE/registry-plain.yml" <<YAML
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $PLAIN_DIR}
  delete: {enabled: true}
http: {addr: $PLAIN_ADDR, secret: skiff-testenv-plain}
YAML
  # Same storage, read-only: these registries serve exactly what was pushed to the plain one.
  write_readonly_config auth "$AUTH_ADDR" "htpasswd: {realm: skiff-testenv, path: $CACHE/htpasswd}"
  write_readonly_config token "$TOKEN_ADDR" "token: {realm: \"$TOKEN_REALM\", service: $TOKEN_SERVICE, issuer: $TOKEN_ISSUER, rootcertbundle: $CACHE/token/cert.pem}"
}

write_readonly_config() {  # write_readonly_config NAME ADDR AUTH: a read-only registry over the plain one's storage
  cat >"$CACHE/registry-$1.yml" <<YAML
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $PLAIN_DIR}
  maintenance: {readonly: {enabled: true}, uploadpurging: {enabled: false}}
http: {addr: $2, secret: skiff-testenv-$1}
auth:
  $3
YAML
}

start_registry() {  # start_registry NAME ADDR
  local name="$1" addr="$2" pidfile="$CACHE/registry-$1.pid" pid=""
  [ -f "$pidfile" ] && pid="$(cat "$pidfile")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
      && grep -q "registry-$name.yml" "/proc/$pid/cmdline" 2>/dev/null; then
    answers "$addr" && { log "registry $name on $addr already running (pid $pid)"; return 0; }
    kill "$pid" 2>/dev/null || true   # ours, but not answering: start it afresh
    sleep 1
  fi
  if port_taken "$addr"; then
    die "$addr is already in use by a process this script did not start (no live pid in $pidfile);" \
      "stop it (ss -ltnp 'sport = :${addr#*:}' shows it) or free the port, then rerun"
  fi
  setsid docker-registry serve "$CACHE/registry-$name.yml" >"$CACHE/registry-$name.log" 2>&1 9>&- </dev/null &
  echo $! >"$pidfile"
  log "started registry $name on $addr (pid $!)"
}

wait_for() {  # wait_for NAME ADDR
  local i
  for i in $(seq 300); do
    answers "$2" && return 0
    kill -0 "$(cat "$CACHE/registry-$1.pid")" 2>/dev/null || break
    sleep 0.1
  done
  tail -n 5 "$CACHE/registry-$1.log" >&2
  die "registry $1 did not answer on $2; log: $CACHE/registry-$1.log"
}

write_configs
start_registry plain "$PLAIN_ADDR"
start_registry auth "$AUTH_ADDR"
start_registry token "$TOKEN_ADDR"
wait_for plain "$PLAIN_ADDR"
wait_for auth "$AUTH_ADDR"
wait_for token "$TOKEN_ADDR"

# ------------------------------------------------------------------------------------------ push + properties
"$PYTHON" "$HERE/imagetool.py" push --store "$STORE" --refs "$CACHE/refs.json" --registry "$PLAIN_ADDR" \
  --list "$OUT/images.txt" || die "pushing the test images to $PLAIN_ADDR failed (see above)"

cat >"$OUT/test-env.properties" <<PROPS
registry=$PLAIN_ADDR
auth.registry=$AUTH_ADDR
auth.username=$AUTH_USER
auth.password=$AUTH_PASSWORD
token.registry=$TOKEN_ADDR
token.realm=$TOKEN_REALM
token.service=$TOKEN_SERVICE
token.issuer=$TOKEN_ISSUER
token.key=$CACHE/token/key.pem
token.cert=$CACHE/token/cert.pem
cache=$CACHE
rootless.user=$ROOTLESS_USER
rootless.home=$ROOTLESS_HOME
PROPS
log "ready: $OUT/test-env.properties"
