#!/usr/bin/env bash
# Skiff against Testcontainers on Docker, on this machine (root; the Docker side needs a private dockerd):
#   benchmarks/run.sh all [--no-docker] [--rounds N] [--warmup N] [--note TEXT]   every scenario, then ONE table
#   benchmarks/run.sh start|pull|ready|memory|e2e|scale [--no-docker] [OPTION...]  one scenario (see: start --help)
# Scenarios (issue 6): 1 start (busybox true, warm), 2 pull (cold pull + unpack), 3 ready (redis, postgres,
# mariadb: start to first query, stop + remove), 4 memory (the engine's extra RSS), 5 e2e (the examples' suite and
# its Testcontainers twin benchmarks/e2e-testcontainers, `mvn test` wall time; 3 rounds unless --rounds),
# 6 scale (20 and 50 at once).
# It sets up the test registry if needed (test-env/setup.sh), builds the benchmarks module, starts
# benchmarks/docker-env.sh's daemon unless --no-docker (and stops it at the end if it started it), then runs.
# Results: benchmarks/results/SCENARIO-DATE.{md,csv}; `all` adds summary-DATE.{md,csv}, the combined table.
# Extra Maven flags: MVN_FLAGS="-o" benchmarks/run.sh all. JVM flags: SKIFF_JAVA_OPTS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAR="$ROOT/benchmarks/target/skiff-benchmarks.jar"
SCENARIOS=(start pull ready memory scale e2e)
declare -A MAIN=(
  [start]=StartBenchmark [pull]=PullBenchmark [ready]=ReadyBenchmark [memory]=MemoryBenchmark
  [scale]=ScaleBenchmark [e2e]=EndToEndBenchmark [summary]=SummaryBenchmark)

log() { printf 'run.sh: %s\n' "$*"; }

usage() {
  sed -n '2,3p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

prepare() {
  [ -f .test-env/test-env.properties ] || test-env/setup.sh
  log "building the benchmarks"
  # shellcheck disable=SC2086 # MVN_FLAGS is a list of flags
  mvn -B -q ${MVN_FLAGS:-} -pl benchmarks -am package -DskipTests
}

# Starts the private dockerd unless it already runs; stops it on exit only if it was started here.
# A daemon that cannot start is reported by docker-env.sh, and the benchmarks then say they have no docker figures.
# With the daemon up, the benchmark JVMs run in its network namespace: Skiff and docker then pull from the very same
# registry process, Testcontainers reaches published ports on 127.0.0.1, and the test-env registry on the host may
# come and go meanwhile.
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
  # Testcontainers reads these. Ryuk would be one more container per JVM; this machine has /.dockerenv, so without
  # the override Testcontainers looks for the daemon's host through a gateway; its start-up checks pull from Docker Hub.
  export DOCKER_HOST TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 \
    TESTCONTAINERS_CHECKS_DISABLE=true
  if benchmarks/docker-env.sh status >/dev/null; then
    in_netns=(nsenter --net="$SKIFF_BENCH_NETNS")
    docker_flags+=(--note "The benchmark JVMs ran inside the daemon's network namespace skiff-bench: Skiff pulled from\
 the same read-only registry process as dockerd, and reached published ports on 127.0.0.1 as Testcontainers did.")
  fi
}

run_main() {  # run_main SCENARIO ARG...
  local name="$1"
  shift
  # shellcheck disable=SC2086 # SKIFF_JAVA_OPTS is a list of JVM flags
  "${in_netns[@]}" java ${SKIFF_JAVA_OPTS:-} -cp "$JAR" "dev.skiff.benchmarks.${MAIN[$name]}" "${docker_flags[@]}" "$@"
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
  start|pull|ready|memory|scale|e2e) to_run=("$scenario") ;;
  *) usage ;;
esac
prepare
$with_docker && start_docker

if [ "$scenario" != all ]; then
  run_main "$scenario" "${args[@]}"
  exit
fi

rows="$(mktemp /tmp/skiff-bench-rows.XXXXXX)"
failed=()
for s in "${to_run[@]}"; do
  log "scenario $s"
  run_main "$s" --rows "$rows" "${args[@]}" || { failed+=("$s"); log "scenario $s failed (see above); going on"; }
done
summary_args=(--from "$rows")
for s in "${failed[@]}"; do summary_args+=(--note "The $s scenario failed; its rows are missing (see its output)."); done
run_main summary "${summary_args[@]}" "${args[@]}"
rm -f "$rows"
[ ${#failed[@]} -eq 0 ]
