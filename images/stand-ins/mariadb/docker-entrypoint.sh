#!/bin/bash
# Like the public image: `mariadbd [options]` (or bare options) initialises an empty data
# directory with the root password from MARIADB_ROOT_PASSWORD / MYSQL_ROOT_PASSWORD (or their
# _FILE forms), root allowed from any host, then runs the server as mysql on 0.0.0.0:3306.
set -euo pipefail
case "${1:-}" in -*) set -- mariadbd "$@" ;; esac
[ "${1:-}" = mariadbd ] || [ "${1:-}" = mysqld ] || exec "$@"
shift

secret() {   # the value of $1, else of the file named by ${1}_FILE
  local file_var="${1}_FILE"
  if [ -n "${!file_var:-}" ]; then cat "${!file_var}"; else printf '%s' "${!1:-}"; fi
}
root_password=$(secret MARIADB_ROOT_PASSWORD)
[ -n "$root_password" ] || root_password=$(secret MYSQL_ROOT_PASSWORD)

datadir=/var/lib/mysql
chown -R mysql:mysql "$datadir" /run/mysqld
if [ ! -d "$datadir/mysql" ]; then
  if [ -z "$root_password" ] && [ -z "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-}${MYSQL_ALLOW_EMPTY_PASSWORD:-}" ]; then
    echo "error: database is uninitialized and password option is not specified" >&2
    echo "  You need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_FILE or MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" >&2
    exit 1
  fi
  echo "Initializing database files"
  mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db --skip-name-resolve --auth-root-authentication-method=normal >/dev/null
  # Single quotes in the password are doubled for the SQL literal; it never reaches a log.
  pw=${root_password//\'/\'\'}
  mariadbd --user=mysql --datadir="$datadir" --bootstrap --skip-networking --log-warnings=0 <<SQL
-- Only localhost and %: the install's 127.0.0.1 and ::1 roots have no password, and the host-named one warns.
DELETE FROM mysql.global_priv WHERE Host NOT IN ('localhost', '%');
DELETE FROM mysql.proxies_priv WHERE Host NOT IN ('localhost', '%');
FLUSH PRIVILEGES;
ALTER USER 'root'@'localhost' IDENTIFIED BY '$pw';
CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '$pw';
GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;
DROP USER IF EXISTS ''@'localhost';
-- healthcheck.sh logs in as the OS user mysql through the socket, with no password and no rights.
CREATE USER IF NOT EXISTS 'mysql'@'localhost' IDENTIFIED VIA unix_socket;
SQL
  echo "Database initialized"
fi
exec mariadbd --user=mysql --datadir="$datadir" --bind-address=0.0.0.0 --skip-name-resolve "$@"
