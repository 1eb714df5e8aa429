#!/usr/bin/env bash
# Stops the registries test-env/setup.sh started (by their pid files) and nothing else.
set -euo pipefail
CACHE="${SKIFF_TESTENV_CACHE:-/var/cache/skiff-testenv}"
for name in plain auth token; do
  pidfile="$CACHE/registry-$name.pid"
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  # Only a process that is still our registry: a pid may have been reused since.
  if kill -0 "$pid" 2>/dev/null && grep -q "registry-$name.yml" "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "test-env: stopped registry $name (pid $pid)"
  fi
  rm -f "$pidfile"
done
