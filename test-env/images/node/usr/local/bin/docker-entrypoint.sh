#!/bin/sh
# Skiff stand-in for the official node image's entrypoint: run node unless the first arg is a command.
set -e

if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi

exec "$@"
