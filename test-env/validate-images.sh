#!/usr/bin/env bash
# Checks the pushed test images for real: pulls each from the running plain registry, unpacks it into a
# temp dir and runs its entrypoint with the image's own config (Env) inside fresh PID, mount and network
# namespaces (`unshare ... chroot`), then asks the service a question with the image's own client.
# Also checks the exact-tree fixture and the registries' answers. Run after setup.sh. Needs root.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON=/usr/bin/python3
REGISTRY=127.0.0.1:55000
AUTH_REGISTRY=127.0.0.1:55001
WORK="$(mktemp -d /tmp/skiff-validate.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
FAILED=0
PASSED=0

# Shell text for the image's sh: how many sockets listen on PORT (hex) on every address (0.0.0.0 or ::).
wildcard_listeners() {
  echo "awk '\$4 == \"0A\" && \$2 ~ /^0+:$1\$/' /proc/net/tcp /proc/net/tcp6 | wc -l"
}

# Shell text for the image's sh: start the entrypoint with ARGS in the background (pid in $pid, output in
# LOG) and wait up to 60 s until the shell command PROBE succeeds.
start_and_wait() {  # start_and_wait ARGS LOG PROBE
  echo "docker-entrypoint.sh $1 >$2 2>&1 &
    pid=\$!
    for i in \$(seq 300); do { $3; } >/dev/null 2>&1 && break; sleep 0.2; done"
}

pass() { PASSED=$((PASSED + 1)); echo "ok   $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }

unpack() {  # unpack REPO:TAG DIR -> DIR/rootfs and DIR/config.json
  mkdir -p "$2"
  "$PYTHON" "$HERE/imagetool.py" unpack --registry "$REGISTRY" --config-out "$2/config.json" "$1" "$2/rootfs" >/dev/null
}

# run_in DIR SCRIPT [VAR=VALUE...]: the image's /bin/sh runs SCRIPT as root in new namespaces, with the
# image's Env plus the given variables; only loopback exists. Ending PID 1 kills whatever SCRIPT left.
run_in() {
  local dir="$1" script="$2" env=()
  shift 2
  mapfile -t env < <("$PYTHON" -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["config"].get("Env", [])))' "$dir/config.json")
  timeout 300 unshare --fork --pid --mount --net --mount-proc="$dir/rootfs/proc" \
    /bin/sh -c 'mount --rbind /dev "$1/dev" && ip link set lo up && exec chroot "$@"' sh \
    "$dir/rootfs" /bin/env -i "${env[@]}" "$@" /bin/sh -c "$script" 2>&1
}

expect() {  # expect NAME OUTPUT PATTERN...: every extended regex must match a line of OUTPUT
  local name="$1" out="$2" p
  shift 2
  for p in "$@"; do
    if ! grep -qE -- "$p" <<<"$out"; then
      fail "$name: no line matches /$p/; output was:"
      sed 's/^/     | /' <<<"$out" | tail -n 30
      return
    fi
  done
  pass "$name"
}

check_busybox() {
  unpack library/busybox:1.35 "$WORK/busybox"
  expect "busybox: applets, users, dirs" "$(run_in "$WORK/busybox" '
    missing=""
    for a in sh ls cat echo true false sleep env id ps wget nc hostname ip mkdir rm head grep; do
      [ -x "/bin/$a" ] || missing="$missing $a"
    done
    echo "missing-applets=[$missing]"; id app; ls -ld /tmp /root /home/app')" \
    '^missing-applets=\[\]$' 'uid=1000\(app\) gid=1000\(app\)' '^drwxrwxrwt .* /tmp$' '^drwx------ .* /root$'
}

check_redis() {
  unpack library/redis:7.0 "$WORK/redis"
  expect "redis:7.0 answers PING as user redis" "$(run_in "$WORK/redis" '
    cd /data
    '"$(start_and_wait redis-server /tmp/redis.log 'redis-cli -h 127.0.0.1 ping | grep -q PONG')"'
    echo "ping=$(redis-cli -h 127.0.0.1 ping)"
    echo "bind=$(redis-cli -h 127.0.0.1 config get bind | tail -n 1)"
    echo "wildcard-listeners=$('"$(wildcard_listeners 18EB)"')"
    echo "server-uid=$(awk "/^Uid/ {print \$2}" /proc/$pid/status) redis-uid=$(id -u redis)"
    kill $pid; wait $pid')" \
    '^ping=PONG$' '^bind=0\.0\.0\.0$' '^wildcard-listeners=[1-9]' '^server-uid=([0-9]+) redis-uid=\1$'
}

# prepare_database DIR NAME COMMAND ERROR: without credentials the entrypoint must exit 1 with ERROR;
# then an init script is put in place for the real start.
prepare_database() {
  expect "$2" "$(run_in "$1" "docker-entrypoint.sh $3; echo \"exit=\$?\"")" "$4" '^exit=1$'
  cat >"$1/rootfs/docker-entrypoint-initdb.d/init.sql" <<'SQL'
CREATE TABLE greeting (msg varchar(64));
INSERT INTO greeting VALUES ('hello from init script');
SQL
}

check_postgres() {
  unpack library/postgres:15 "$WORK/postgres"
  prepare_database "$WORK/postgres" "postgres:15 refuses to start without POSTGRES_PASSWORD" postgres \
    'superuser password is not specified'
  expect "postgres:15 initdb, init script, psql login, ready twice" "$(run_in "$WORK/postgres" '
    '"$(start_and_wait postgres /tmp/pg.log 'PGPASSWORD=secret psql -h 127.0.0.1 -U skiff -d skiffdb -c "select 1"')"'
    echo "row=$(PGPASSWORD=secret psql -h 127.0.0.1 -U skiff -d skiffdb -tAc "select msg from greeting")"
    echo "ready-lines=$(grep -c "database system is ready to accept connections" /tmp/pg.log)"
    echo "listening=$(grep -c "listening on IPv4 address \"0.0.0.0\", port 5432" /tmp/pg.log)"
    echo "wildcard-listeners=$('"$(wildcard_listeners 1538)"')"
    echo "server-uid=$(awk "/^Uid/ {print \$2}" /proc/$pid/status) postgres-uid=$(id -u postgres)"
    kill -INT $pid; wait $pid; echo "stopped=$?"' \
    POSTGRES_PASSWORD=secret POSTGRES_USER=skiff POSTGRES_DB=skiffdb)" \
    '^row=hello from init script$' '^ready-lines=2$' '^listening=1$' '^wildcard-listeners=[1-9]' \
    '^server-uid=([0-9]+) postgres-uid=\1$' '^stopped=0$'
}

check_mariadb() {
  unpack library/mariadb:10.11 "$WORK/mariadb"
  prepare_database "$WORK/mariadb" "mariadb:10.11 refuses to start without a root password option" mariadbd \
    'password option is not specified'
  expect "mariadb:10.11 with MYSQL_* variables: user login to its database, root login" "$(run_in "$WORK/mariadb" '
    '"$(start_and_wait mariadbd /tmp/m.log 'mariadb -h 127.0.0.1 -P 3306 -uskiff -psecret skiffdb -e "select 1"')"'
    echo "row=$(mariadb -h 127.0.0.1 -P 3306 -uskiff -psecret skiffdb -Nse "select msg from greeting")"
    echo "root=$(mariadb -h 127.0.0.1 -P 3306 -uroot -prootsecret -Nse "select current_user()")"
    echo "wildcard-listeners=$('"$(wildcard_listeners 0CEA)"')"
    echo "server-uid=$(awk "/^Uid/ {print \$2}" /proc/$pid/status) mysql-uid=$(id -u mysql)"
    kill $pid; wait $pid; echo "stopped=$?"' \
    MYSQL_ROOT_PASSWORD=rootsecret MYSQL_DATABASE=skiffdb MYSQL_USER=skiff MYSQL_PASSWORD=secret)" \
    '^row=hello from init script$' '^root=root@%$' '^wildcard-listeners=[1-9]' '^server-uid=([0-9]+) mysql-uid=\1$' '^stopped=0$'
}

check_node() {  # check_node TAG MAJOR
  unpack "library/node:$1" "$WORK/node$1"
  echo 'console.log("script says", 6 * 7)' >"$WORK/node$1/rootfs/tmp/hello.js"
  expect "node:$1 runs node and scripts" "$(run_in "$WORK/node$1" '
    docker-entrypoint.sh --version; docker-entrypoint.sh /tmp/hello.js; docker-entrypoint.sh node -e "console.log(1+1)"')" \
    "^v$2\." '^script says 42$' '^2$'
}

check_fixture() {
  unpack skiff-test/layers:1 "$WORK/layers"
  expect "skiff-test/layers:1 unpacks to the documented tree" "$("$PYTHON" - "$WORK/layers/rootfs" <<'PY'
import os, stat, sys
root = sys.argv[1]
def p(rel): return os.path.join(root, rel)
def content(rel): return open(p(rel)).read()
def mode(rel): return stat.S_IMODE(os.lstat(p(rel)).st_mode)
checks = {
  "keep": content("etc/keep.txt") == "keep\n" and os.lstat(p("etc/keep.txt")).st_mtime == 1500000000,
  "gone-whited-out": not os.path.lexists(p("etc/gone.txt")),
  "replaced": content("etc/replaced.txt") == "v2\n" and mode("etc/replaced.txt") == 0o600,
  "opaque": sorted(os.listdir(p("opaque"))) == ["new.txt"],
  "removed-dir": not os.path.lexists(p("removed-dir")),
  "rel-link-whited-out": not os.path.lexists(p("etc/rel-link")),
  "abs-link": os.readlink(p("abs-link")) == "/etc/keep.txt",
  "dangling": os.readlink(p("dangling")) == "/does/not/exist",
  "hardlinks": os.lstat(p("data/link-same-layer.bin")).st_ino == os.lstat(p("data/original.bin")).st_ino
               == os.lstat(p("data/link-cross-layer.bin")).st_ino,
  "original": content("data/original.bin") == "hardlinked content\n" and mode("data/original.bin") == 0o640
              and os.lstat(p("data/original.bin")).st_uid == 1000,
  "setuid-tool": mode("bin/tool") == 0o4755,
  "mode-0000": mode("secret/none") == 0 and mode("secret") == 0o700,
  "tmp": mode("tmp") == 0o1777,
  "home-app": mode("home/app") == 0o750 and os.lstat(p("home/app")).st_uid == 1000,
  "unicode": content("etc/with space & ünïcode.txt") == "utf8\n",
  "long-name": content("data/" + "d" * 120 + "/long-name-file.txt") == "long\n",
  "mtime": os.lstat(p("etc/replaced.txt")).st_mtime == 1600000000,
}
for name, ok in checks.items():
  print(("good " if ok else "BAD ") + name)
PY
)" '^good keep$' '^good gone-whited-out$' '^good replaced$' '^good opaque$' '^good removed-dir$' \
    '^good rel-link-whited-out$' '^good abs-link$' '^good dangling$' '^good hardlinks$' '^good original$' \
    '^good setuid-tool$' '^good mode-0000$' '^good tmp$' '^good home-app$' '^good unicode$' '^good long-name$' \
    '^good mtime$'
}

check_registries() {
  local accept_oci="application/vnd.oci.image.manifest.v1+json" out
  out="$(curl -s -o /dev/null -w '%{http_code}' "http://$AUTH_REGISTRY/v2/")"
  [ "$out" = 401 ] && pass "auth registry: 401 without credentials" || fail "auth registry without credentials: $out"
  out="$(curl -s -o /dev/null -w '%{http_code}' -u skiff:skiff-secret -H "Accept: $accept_oci" \
    "http://$AUTH_REGISTRY/v2/library/busybox/manifests/1.35")"
  [ "$out" = 200 ] && pass "auth registry: 200 with credentials" || fail "auth registry with credentials: $out"
  out="$(curl -s -D - -o /dev/null -H "Accept: $accept_oci" "http://$REGISTRY/v2/skiff-test/layers/manifests/1-nomt")"
  expect "layers:1-nomt is served as OCI" "$out" '^Content-Type: application/vnd\.oci\.image\.manifest\.v1\+json' 
  out="$(curl -s -H 'Accept: application/vnd.oci.image.index.v1+json' "http://$REGISTRY/v2/skiff-test/multiarch/manifests/1")"
  expect "multiarch:1 is an OCI index of 5 entries" \
    "$("$PYTHON" -c 'import json,sys; [print(m["mediaType"], m.get("platform", {}).get("architecture")) for m in json.load(sys.stdin)["manifests"]]' <<<"$out")" \
    '^application/vnd.oci.image.manifest.v1\+json arm64$' '^application/vnd.example.unknown\+json amd64$' \
    '^application/vnd.oci.image.manifest.v1\+json unknown$'
  while read -r ref; do
    local media=application/vnd.oci.image.manifest.v1+json,application/vnd.oci.image.index.v1+json
    media+=,application/vnd.docker.distribution.manifest.v2+json,application/vnd.docker.distribution.manifest.list.v2+json
    out="$(curl -s -o /dev/null -w '%{http_code}' -H "Accept: $media" "http://$REGISTRY/v2/${ref%:*}/manifests/${ref##*:}")"
    [ "$out" = 200 ] || fail "$ref: manifest answered $out"
  done <"$HERE/../.test-env/images.txt"
  pass "every tag in .test-env/images.txt resolves"
}

only="${1:-all}"
for c in registries fixture busybox redis postgres mariadb node; do
  if [ "$only" = all ] || [ "$only" = "$c" ]; then
    case "$c" in
      node) check_node 20 20; check_node 18 18 ;;
      *) "check_$c" ;;
    esac
  fi
done
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
