#!/bin/sh
# Like the public image: `redis-server [options]` (or bare options) runs the server as redis,
# reachable from other containers (protected mode off); anything else runs as given.
set -e
case "$1" in -*) set -- redis-server "$@" ;; esac
if [ "$1" = redis-server ]; then
  shift
  conf=""
  case "$1" in ""|-*) ;; *) conf=$1; shift ;; esac   # a config file must come first
  [ "$(id -u)" = 0 ] && chown -R redis:redis /data 2>/dev/null || true
  exec setpriv --reuid=redis --regid=redis --init-groups redis-server $conf --protected-mode no --bind '* -::*' --dir /data "$@"
fi
exec "$@"
