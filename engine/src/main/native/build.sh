#!/bin/sh
# Builds skiff-launcher as a static binary: musl-gcc when present (small), else gcc -static.
# Usage: build.sh OUTPUT_DIR. Skips the build when the binary is newer than every source.
set -eu
src="$(cd "$(dirname "$0")" && pwd)"
out_dir="$1"
arch="$(uname -m)"
out="$out_dir/skiff-launcher-$arch"
mkdir -p "$out_dir"
if [ -f "$out" ] && [ -z "$(find "$src" -newer "$out" \( -name '*.c' -o -name '*.h' -o -name build.sh \))" ]; then
  exit 0
fi
if command -v musl-gcc >/dev/null 2>&1; then cc=musl-gcc; else cc=gcc; fi
"$cc" -static -Os -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o "$out.tmp" "$src"/*.c
strip "$out.tmp" 2>/dev/null || true
mv "$out.tmp" "$out"
