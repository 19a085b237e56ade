#!/usr/bin/env bash
# Start throwaway, loopback-only MariaDB, PostgreSQL and two Redis instances for
# SharpBench's integration tests, and write an env file describing them.
#
#   tests/services/start.sh            # then: source /tmp/sharpbench-services/env.sh
#
# Everything lives under one folder ($SB_SERVICES_DIR) and runs on non-standard ports,
# so it never touches (or depends on) the machine's system services, and a stopped
# set can simply be deleted. Safe to run again: an instance that already answers on its
# port is reused; a stopped one is restarted on its existing data.
#
# Environment (all optional):
#   SB_SERVICES_DIR       data, logs, sockets, pid files   (/tmp/sharpbench-services)
#   SB_MARIADB_PORT       13306
#   SB_POSTGRES_PORT      15432
#   SB_REDIS_QUEUE_PORT   16379   (persistent: appendonly, like Frappe's redis_queue)
#   SB_REDIS_CACHE_PORT   16380   (no persistence, like Frappe's redis_cache)
#   SB_SERVICES_TIMEOUT   seconds to wait for each server to answer (60)
#   SB_NGINX              nginx binary to check and advertise (nginx on PATH, else /usr/sbin/nginx)
#
# Progress goes to stderr; stdout gets only the final `source ...` hint.
set -euo pipefail

SB_SERVICES_DIR=${SB_SERVICES_DIR:-/tmp/sharpbench-services}
SB_MARIADB_PORT=${SB_MARIADB_PORT:-13306}
SB_POSTGRES_PORT=${SB_POSTGRES_PORT:-15432}
SB_REDIS_QUEUE_PORT=${SB_REDIS_QUEUE_PORT:-16379}
SB_REDIS_CACHE_PORT=${SB_REDIS_CACHE_PORT:-16380}
SB_SERVICES_TIMEOUT=${SB_SERVICES_TIMEOUT:-60}

# Fixed credentials: these servers only listen on 127.0.0.1 and hold test data only.
MARIADB_ROOT_PASSWORD=root
POSTGRES_ROOT_PASSWORD=postgres

log() { echo "[services] $*" >&2; }

# Print why a server did not come up (the tail of its log) and stop.
die_with_log() {
    local msg=$1 logfile=$2
    log "ERROR: $msg"
    if [[ -f $logfile ]]; then
        log "---- last lines of $logfile ----"
        tail -n 40 "$logfile" >&2 || true
        log "----"
    fi
    exit 1
}

# True if PID is a live process. Not just `kill -0`: a dead server stays a zombie until its
# parent (us, or an init that reaps slowly) collects it, and kill -0 succeeds on zombies.
is_running() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }          # drop "pid (comm) ", comm may contain spaces
    [[ ${stat%% *} != Z ]]     # first remaining field is the state
}

# wait_for NAME LOGFILE PID CMD...: run CMD until it succeeds, at most SB_SERVICES_TIMEOUT
# seconds. If PID is given and that process dies first, fail at once instead of waiting out
# the timeout (a port clash or bad option kills the server within a second).
wait_for() {
    local name=$1 logfile=$2 pid=$3
    shift 3
    local deadline=$((SECONDS + SB_SERVICES_TIMEOUT))
    until "$@"; do
        if [[ -n $pid ]] && ! is_running "$pid"; then
            die_with_log "$name exited during startup" "$logfile"
        fi
        if ((SECONDS >= deadline)); then
            die_with_log "$name did not answer within ${SB_SERVICES_TIMEOUT}s" "$logfile"
        fi
        sleep 0.5
    done
}

# True if PIDFILE names a live process whose command name is COMM (guards against a stale
# pid file whose number now belongs to some unrelated process).
pidfile_alive() {
    local pidfile=$1 comm=$2 pid
    [[ -s $pidfile ]] || return 1
    pid=$(head -n 1 "$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] && is_running "$pid" || return 1
    [[ -r /proc/$pid/comm && $(cat "/proc/$pid/comm") == "$comm" ]]
}

# True if something accepts TCP connections on 127.0.0.1:PORT. Used when the expected
# server does not answer there: starting ours would only die on "address in use".
port_busy() { timeout 2 bash -c ": </dev/tcp/127.0.0.1/$1" 2>/dev/null; }

busy_error() {
    log "ERROR: 127.0.0.1:$2 is in use by something that is not a ready $1 (another program, or"
    log "       a server still starting or shutting down); free it or set $3 to another port"
    exit 1
}

# ---------------------------------------------------------------------------------------
# Common folder and a lock, so two teammates running start.sh at once do not both
# initialise the same data directory. Every server is started with 9>&- so it does not
# inherit (and keep holding) the lock after we exit.
# ---------------------------------------------------------------------------------------
mkdir -p "$SB_SERVICES_DIR"
# The postgres user must be able to traverse into it (mktemp -d makes 0700 folders).
chmod o+x "$SB_SERVICES_DIR"
SB_SERVICES_DIR=$(cd "$SB_SERVICES_DIR" && pwd)   # absolute: it ends up in configs and env.sh
touch "$SB_SERVICES_DIR/.sharpbench-services"     # marker: stop.sh --purge only deletes folders with it
exec 9>"$SB_SERVICES_DIR/.lock"
flock -w 300 9 || { log "ERROR: another start.sh holds $SB_SERVICES_DIR/.lock"; exit 1; }

# ---------------------------------------------------------------------------------------
# MariaDB
# ---------------------------------------------------------------------------------------
MARIADB_DIR=$SB_SERVICES_DIR/mariadb
MARIADB_SOCKET=$MARIADB_DIR/mariadb.sock

# --no-defaults everywhere: /etc/mysql/*.cnf belongs to the system service (port 3306,
# /run/mysqld socket) and must not leak into our instance.
mariadb_answers() {
    # mariadb-admin ping exits 0 whenever a server answers, even if it rejects the login.
    mariadb-admin --no-defaults --protocol=TCP -h127.0.0.1 -P"$SB_MARIADB_PORT" \
        --connect-timeout=2 -uroot -p"$MARIADB_ROOT_PASSWORD" ping >/dev/null 2>&1
}
mariadb_login_ok() {
    mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$SB_MARIADB_PORT" \
        --connect-timeout=2 -uroot -p"$MARIADB_ROOT_PASSWORD" -N -e 'select 1' >/dev/null 2>&1
}

# Give root the known password over TCP. Runs over our unix socket, where the OS user root
# gets in through unix_socket auth (mariadb-install-db's default for root@localhost).
# root@localhost keeps unix_socket as an alternative so this can always be re-run.
# A TCP client from 127.0.0.1 may be matched as 'localhost' (name resolution) or as
# '127.0.0.1', and tools like Frappe's use '%': cover all three.
mariadb_bootstrap() {
    log "MariaDB: setting root password over the unix socket"
    mariadb --no-defaults --protocol=SOCKET --socket="$MARIADB_SOCKET" -uroot <<SQL
ALTER USER 'root'@'localhost'
    IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('$MARIADB_ROOT_PASSWORD');
CREATE OR REPLACE USER 'root'@'127.0.0.1' IDENTIFIED BY '$MARIADB_ROOT_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
CREATE OR REPLACE USER 'root'@'%' IDENTIFIED BY '$MARIADB_ROOT_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
-- Anonymous users would shadow 'someuser'@'%' for clients on localhost.
DELETE FROM mysql.global_priv WHERE User = '';
FLUSH PRIVILEGES;
SQL
}

start_mariadb() {
    local data=$MARIADB_DIR/data logfile=$MARIADB_DIR/mariadb.log pid

    if mariadb_answers; then
        if mariadb_login_ok; then
            log "MariaDB: reusing the server on 127.0.0.1:$SB_MARIADB_PORT"
            return
        fi
        # Ours but half-bootstrapped (e.g. an earlier run was interrupted): finish it.
        if pidfile_alive "$MARIADB_DIR/mariadb.pid" mariadbd && [[ -S $MARIADB_SOCKET ]]; then
            mariadb_bootstrap
            mariadb_login_ok && return
        fi
        log "ERROR: a MariaDB server answers on 127.0.0.1:$SB_MARIADB_PORT but rejects root/$MARIADB_ROOT_PASSWORD;"
        log "       stop it or choose another port with SB_MARIADB_PORT"
        exit 1
    fi
    port_busy "$SB_MARIADB_PORT" && busy_error MariaDB "$SB_MARIADB_PORT" SB_MARIADB_PORT

    mkdir -p "$MARIADB_DIR"
    if [[ ! -d $data/mysql ]]; then
        log "MariaDB: initialising $data"
        rm -rf "$data"
        # --skip-test-db: no 'test' database and no anonymous users.
        if ! mariadb-install-db --no-defaults --user=root --datadir="$data" --skip-test-db \
            >"$MARIADB_DIR/install.log" 2>&1 9>&-; then
            rm -rf "$data"   # a half-initialised datadir would never start; retry from scratch next time
            die_with_log "mariadb-install-db failed" "$MARIADB_DIR/install.log"
        fi
    fi

    log "MariaDB: starting on 127.0.0.1:$SB_MARIADB_PORT"
    # setsid: own session, so the server outlives this script and its caller's process
    # group (a CI step or a terminal being closed must not take it down).
    # utf8mb4 is what Frappe requires of its server; flush-log-at-trx-commit=2 trades
    # crash durability (irrelevant for throwaway test data) for much faster DDL/commits.
    setsid mariadbd --no-defaults --user=root \
        --datadir="$data" \
        --socket="$MARIADB_SOCKET" \
        --port="$SB_MARIADB_PORT" \
        --bind-address=127.0.0.1 \
        --skip-networking=0 \
        --pid-file="$MARIADB_DIR/mariadb.pid" \
        --log-error="$logfile" \
        --character-set-server=utf8mb4 \
        --collation-server=utf8mb4_unicode_ci \
        --innodb-flush-log-at-trx-commit=2 \
        </dev/null >>"$MARIADB_DIR/mariadbd.out" 2>&1 9>&- &
    pid=$!
    wait_for MariaDB "$logfile" "$pid" mariadb_answers

    # Fresh install (or a datadir from an interrupted run): root has no TCP password yet.
    mariadb_login_ok || mariadb_bootstrap
    mariadb_login_ok || die_with_log "MariaDB is up but root/$MARIADB_ROOT_PASSWORD cannot log in over TCP" "$logfile"
}

# ---------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------
POSTGRES_DIR=$SB_SERVICES_DIR/postgres
# Highest installed major version (Debian 12: 15). Debian keeps server binaries off PATH.
PG_BIN=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)

# The server refuses to run as root, so every server-side command runs as 'postgres'.
# cd first: runuser keeps our cwd, which postgres may not be allowed to enter.
as_postgres() { (cd "$POSTGRES_DIR" && runuser -u postgres -- "$@"); }

pg_answers() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$SB_POSTGRES_PORT" -t 2; }
pg_login_ok() {
    PGPASSWORD=$POSTGRES_ROOT_PASSWORD PGCONNECT_TIMEOUT=2 "$PG_BIN/psql" -X -q -A -t \
        -h 127.0.0.1 -p "$SB_POSTGRES_PORT" -U postgres -d postgres -c 'select 1' >/dev/null 2>&1
}
# Over our private unix socket, auth is 'trust' (the socket dir is 0700 postgres-only),
# so the password can always be (re)set there.
pg_set_password() {
    log "PostgreSQL: setting the postgres password over the unix socket"
    as_postgres "$PG_BIN/psql" -X -q -h "$POSTGRES_DIR/run" -p "$SB_POSTGRES_PORT" -U postgres -d postgres \
        -c "ALTER USER postgres PASSWORD '$POSTGRES_ROOT_PASSWORD'" >/dev/null
}

start_postgres() {
    local data=$POSTGRES_DIR/data logfile=$POSTGRES_DIR/postgres.log pwfile

    [[ -n $PG_BIN && -x $PG_BIN/pg_ctl ]] || { log "ERROR: no PostgreSQL under /usr/lib/postgresql/*/bin; run tests/services/install.sh"; exit 1; }
    id -u postgres >/dev/null 2>&1 || { log "ERROR: no 'postgres' OS user; run tests/services/install.sh"; exit 1; }

    if pg_answers; then
        if pg_login_ok; then
            log "PostgreSQL: reusing the server on 127.0.0.1:$SB_POSTGRES_PORT"
            return
        fi
        if pidfile_alive "$data/postmaster.pid" postgres && [[ -d $POSTGRES_DIR/run ]]; then
            pg_set_password
            pg_login_ok && return
        fi
        log "ERROR: a PostgreSQL server answers on 127.0.0.1:$SB_POSTGRES_PORT but rejects postgres/$POSTGRES_ROOT_PASSWORD;"
        log "       stop it or choose another port with SB_POSTGRES_PORT"
        exit 1
    fi
    port_busy "$SB_POSTGRES_PORT" && busy_error PostgreSQL "$SB_POSTGRES_PORT" SB_POSTGRES_PORT

    # initdb and the server insist on a postgres-owned 0700 data dir.
    install -d -o postgres -g postgres -m 700 "$POSTGRES_DIR" "$POSTGRES_DIR/run"

    if [[ ! -s $data/PG_VERSION ]]; then
        log "PostgreSQL: initialising $data"
        rm -rf "$data"
        # The password goes through a file only postgres can read, not the command line.
        pwfile=$POSTGRES_DIR/.pwfile
        printf '%s\n' "$POSTGRES_ROOT_PASSWORD" >"$pwfile"
        chown postgres:postgres "$pwfile"
        chmod 600 "$pwfile"
        # scram over TCP (what clients will use), trust on the private socket (bootstrap).
        # Explicit C.UTF-8 locale: containers often have no LANG, and UTF8 is what apps expect.
        if ! as_postgres "$PG_BIN/initdb" -D "$data" -U postgres --pwfile="$pwfile" \
            --auth-host=scram-sha-256 --auth-local=trust \
            --encoding=UTF8 --locale=C.UTF-8 >"$POSTGRES_DIR/initdb.log" 2>&1 9>&-; then
            rm -f "$pwfile"
            rm -rf "$data"
            die_with_log "initdb failed" "$POSTGRES_DIR/initdb.log"
        fi
        rm -f "$pwfile"
    fi

    # A postmaster.pid left by a killed server whose pid now belongs to another process
    # makes postgres refuse to start; nothing of ours is running here, so drop it.
    if [[ -f $data/postmaster.pid ]] && ! pidfile_alive "$data/postmaster.pid" postgres; then
        rm -f "$data/postmaster.pid"
    fi

    log "PostgreSQL: starting on 127.0.0.1:$SB_POSTGRES_PORT"
    # Settings go on the command line (not postgresql.conf) so a port override needs no
    # edit of the data dir. pg_ctl detaches the server into its own session itself.
    # fsync/synchronous_commit/full_page_writes off: crash safety is irrelevant for
    # throwaway test data, and they make CREATE DATABASE and DDL-heavy tests far faster.
    # -w -t: pg_ctl waits (bounded) and notices a server that dies during startup.
    if ! as_postgres "$PG_BIN/pg_ctl" -D "$data" -l "$logfile" -w -t "$SB_SERVICES_TIMEOUT" \
        -o "-c port=$SB_POSTGRES_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='$POSTGRES_DIR/run' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >>"$POSTGRES_DIR/pg_ctl.out" 2>&1 9>&-; then
        die_with_log "PostgreSQL did not start (see also $POSTGRES_DIR/pg_ctl.out)" "$logfile"
    fi
    wait_for PostgreSQL "$logfile" "" pg_answers
    pg_login_ok || pg_set_password
    pg_login_ok || die_with_log "PostgreSQL is up but postgres/$POSTGRES_ROOT_PASSWORD cannot log in over TCP" "$logfile"
}

# ---------------------------------------------------------------------------------------
# Redis: a persistent queue instance and a volatile cache instance, as Frappe runs them.
# ---------------------------------------------------------------------------------------
redis_answers() {
    [[ $(timeout 5 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null) == PONG ]]
}

# start_redis NAME PORT persist|volatile PORT_VARIABLE
start_redis() {
    local name=$1 port=$2 mode=$3 port_var=$4
    local dir=$SB_SERVICES_DIR/redis-$name
    local logfile=$dir/redis.log pid

    if redis_answers "$port"; then
        log "Redis ($name): reusing the server on 127.0.0.1:$port"
        return
    fi
    port_busy "$port" && busy_error "Redis (PONG to redis-cli ping)" "$port" "$port_var"

    mkdir -p "$dir"
    # --daemonize no + setsid & rather than --daemonize yes: same detached server in its
    # own session, but we know its pid at once. A daemonized redis writes its pid file only
    # after binding the port, so a port clash would go unnoticed until the timeout.
    local args=(--port "$port" --bind 127.0.0.1 --daemonize no --dir "$dir"
        --pidfile "$dir/redis.pid" --logfile "$logfile" --save '')
    if [[ $mode == persist ]]; then
        # Queued jobs survive a restart, as with Frappe's redis_queue.
        args+=(--appendonly yes)
    else
        # Pure cache, bounded and evicting, like Frappe's redis_cache.conf.
        args+=(--appendonly no --maxmemory 256mb --maxmemory-policy allkeys-lru)
    fi

    log "Redis ($name): starting on 127.0.0.1:$port"
    setsid redis-server "${args[@]}" </dev/null >>"$dir/redis.out" 2>&1 9>&- &
    pid=$!
    wait_for "Redis ($name)" "$logfile" "$pid" redis_answers "$port"
}

# ---------------------------------------------------------------------------------------
# nginx: not started here (tests render their own config and run it), only checked.
# ---------------------------------------------------------------------------------------
check_nginx() {
    SB_NGINX=${SB_NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
    if [[ ! -x $SB_NGINX ]]; then
        log "ERROR: nginx not found at $SB_NGINX; run tests/services/install.sh"
        exit 1
    fi
    log "nginx: $("$SB_NGINX" -v 2>&1) at $SB_NGINX"
}

# Same port twice would make the second service silently "reuse" the first.
if [[ $(printf '%s\n' "$SB_MARIADB_PORT" "$SB_POSTGRES_PORT" "$SB_REDIS_QUEUE_PORT" "$SB_REDIS_CACHE_PORT" | sort -u | wc -l) -ne 4 ]]; then
    log "ERROR: the four service ports must differ (SB_MARIADB_PORT, SB_POSTGRES_PORT, SB_REDIS_QUEUE_PORT, SB_REDIS_CACHE_PORT)"
    exit 1
fi

for tool in mariadbd mariadb-install-db mariadb-admin mariadb redis-server redis-cli runuser flock setsid; do
    command -v "$tool" >/dev/null || { log "ERROR: '$tool' not found; run tests/services/install.sh"; exit 1; }
done

start_mariadb
start_postgres
start_redis queue "$SB_REDIS_QUEUE_PORT" persist SB_REDIS_QUEUE_PORT
start_redis cache "$SB_REDIS_CACHE_PORT" volatile SB_REDIS_CACHE_PORT
check_nginx

# ---------------------------------------------------------------------------------------
# env.sh: written to a temp file and renamed, so a reader never sees half a file.
# ---------------------------------------------------------------------------------------
ENV_FILE=$SB_SERVICES_DIR/env.sh
# A server reused from another services folder (it already answered on its port) has its socket
# there, not here: ask the server where it listens.
if [[ ! -S $MARIADB_SOCKET ]]; then
    MARIADB_SOCKET=$(mariadb --no-defaults -h 127.0.0.1 -P "$SB_MARIADB_PORT" -uroot -p"$MARIADB_ROOT_PASSWORD" -N -e 'SELECT @@socket' 2>/dev/null || echo "$MARIADB_SOCKET")
fi
POSTGRES_SOCKET_DIR=$POSTGRES_DIR/run
if [[ ! -S $POSTGRES_SOCKET_DIR/.s.PGSQL.$SB_POSTGRES_PORT ]]; then
    POSTGRES_SOCKET_DIR=$(PGPASSWORD=$POSTGRES_ROOT_PASSWORD psql -X -h 127.0.0.1 -p "$SB_POSTGRES_PORT" -U postgres -d postgres -Atc 'SHOW unix_socket_directories' 2>/dev/null | cut -d, -f1 || echo "$POSTGRES_SOCKET_DIR")
    POSTGRES_SOCKET_DIR=${POSTGRES_SOCKET_DIR:-$POSTGRES_DIR/run}
fi
{
    echo "# Written by tests/services/start.sh; source it to reach the test services."
    for var in SB_SERVICES_DIR \
        SB_MARIADB_HOST SB_MARIADB_PORT SB_MARIADB_ROOT_USER SB_MARIADB_ROOT_PASSWORD SB_MARIADB_SOCKET \
        SB_POSTGRES_HOST SB_POSTGRES_PORT SB_POSTGRES_ROOT_USER SB_POSTGRES_ROOT_PASSWORD SB_POSTGRES_SOCKET_DIR \
        SB_REDIS_QUEUE SB_REDIS_CACHE SB_REDIS_QUEUE_PORT SB_REDIS_CACHE_PORT SB_NGINX; do
        case $var in
            SB_MARIADB_HOST | SB_POSTGRES_HOST) value=127.0.0.1 ;;
            SB_MARIADB_ROOT_USER) value=root ;;
            SB_MARIADB_ROOT_PASSWORD) value=$MARIADB_ROOT_PASSWORD ;;
            SB_MARIADB_SOCKET) value=$MARIADB_SOCKET ;;
            SB_POSTGRES_ROOT_USER) value=postgres ;;
            SB_POSTGRES_SOCKET_DIR) value=$POSTGRES_SOCKET_DIR ;;
            SB_POSTGRES_ROOT_PASSWORD) value=$POSTGRES_ROOT_PASSWORD ;;
            SB_REDIS_QUEUE) value=redis://127.0.0.1:$SB_REDIS_QUEUE_PORT ;;
            SB_REDIS_CACHE) value=redis://127.0.0.1:$SB_REDIS_CACHE_PORT ;;
            *) value=${!var} ;;
        esac
        printf 'export %s=%q\n' "$var" "$value"
    done
} >"$ENV_FILE.tmp"
mv -f "$ENV_FILE.tmp" "$ENV_FILE"

log "all services up (MariaDB :$SB_MARIADB_PORT, PostgreSQL :$SB_POSTGRES_PORT, Redis :$SB_REDIS_QUEUE_PORT/:$SB_REDIS_CACHE_PORT)"
echo "source $ENV_FILE"
