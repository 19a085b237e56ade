#!/bin/bash
# The public image's healthcheck.sh, for the checks the compose files use: --connect (the
# server accepts connections) and --innodb_initialized (InnoDB is up, which the server only
# reports once it accepts connections). It logs in as mysql@localhost through the socket
# (unix_socket authentication, no password, no rights), which the entrypoint creates; the
# entrypoint initialises with networking off, so nothing answers before the real server.
set -e
for arg in "$@"; do
  case "$arg" in
    --connect|--innodb_initialized|--su-mysql|--su=*) ;;
    *) echo "healthcheck.sh: $arg is not supported by this stand-in" >&2; exit 1 ;;
  esac
done
exec setpriv --reuid=mysql --regid=mysql --init-groups mariadb-admin --no-defaults --user=mysql --protocol=socket --socket=/run/mysqld/mysqld.sock --connect-timeout=2 ping >/dev/null 2>&1
