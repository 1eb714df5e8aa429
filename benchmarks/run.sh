#!/usr/bin/env bash
# Skiff's benchmarks on this machine (root; the Docker side needs a private dockerd):
#   benchmarks/run.sh pull [--no-docker] [OPTION...]   cold pull + unpack, Skiff vs docker pull
#   benchmarks/run.sh all [--no-docker]                every scenario, one after another
# OPTIONs go to the scenario's main class, e.g. --rounds 3 --images library/redis:7.0 (see: pull --help).
# It sets up the test registry if needed (test-env/setup.sh), builds the benchmarks module, starts
# benchmarks/docker-env.sh's daemon unless --no-docker (and stops it at the end if it started it), then runs.
# Results go to benchmarks/results/. Extra Maven flags: MVN_FLAGS="-o" benchmarks/run.sh pull
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAR="$ROOT/benchmarks/target/skiff-benchmarks.jar"
SCENARIOS=(pull)

log() { printf 'run.sh: %s\n' "$*"; }

usage() {
  sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

prepare() {
  [ -f .test-env/test-env.properties ] || test-env/setup.sh
  log "building the benchmarks"
  # shellcheck disable=SC2086 # MVN_FLAGS is a list of flags
  mvn -B -q ${MVN_FLAGS:-} -pl benchmarks -am package -DskipTests
}

# Starts the private dockerd unless it already runs; stops it on exit only if it was started here.
# A daemon that cannot start is reported by docker-env.sh, and the benchmark then says it has no docker figures.
# With the daemon up, the benchmark JVM runs in its network namespace: Skiff and docker then pull from the very same
# registry process, and the test-env registry on the host may come and go meanwhile.
docker_flags=()
in_netns=()
start_docker() {
  if benchmarks/docker-env.sh status >/dev/null; then
    log "using the docker env that is already running"
  else
    trap 'benchmarks/docker-env.sh stop' EXIT
    benchmarks/docker-env.sh start || log "the docker env did not start (see above); measuring Skiff alone"
  fi
  eval "$(benchmarks/docker-env.sh env)"
  docker_flags=(--docker-host "$DOCKER_HOST")
  if benchmarks/docker-env.sh status >/dev/null; then
    in_netns=(nsenter --net="$SKIFF_BENCH_NETNS")
    docker_flags+=(--note "The benchmark ran inside that namespace too: Skiff pulled from the same registry process.")
  fi
}

run_pull() {
  # shellcheck disable=SC2086 # SKIFF_JAVA_OPTS is a list of JVM flags
  "${in_netns[@]}" java ${SKIFF_JAVA_OPTS:-} -cp "$JAR" dev.skiff.benchmarks.PullBenchmark "${docker_flags[@]}" "$@"
}

scenario="${1:-}"
[ -n "$scenario" ] || usage
shift
with_docker=true
args=()
for a in "$@"; do
  if [ "$a" = --no-docker ]; then with_docker=false; args+=(--no-docker); else args+=("$a"); fi
done

case "$scenario" in
  all) to_run=("${SCENARIOS[@]}") ;;
  pull) to_run=("$scenario") ;;
  *) usage ;;
esac
prepare
$with_docker && start_docker
for s in "${to_run[@]}"; do
  "run_$s" "${args[@]}"
done
