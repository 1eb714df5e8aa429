#!/bin/sh
# Skiff stand-in for the official redis image's entrypoint (same contract, Debian's redis-server).
set -e

# First arg is an option or a config file: run redis-server with it.
case "$1" in
  -*|*.conf) set -- redis-server "$@" ;;
esac

if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
  find . \! -user redis -exec chown redis '{}' +
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

if [ "$1" = 'redis-server' ]; then
  # Without a config file Redis would refuse remote clients (protected mode) and Debian binds loopback only.
  case " $* " in *" --protected-mode "*) ;; *) set -- "$@" --protected-mode no ;; esac
  case " $* " in *" --bind "*) ;; *) set -- "$@" --bind 0.0.0.0 ;; esac
fi

exec "$@"
