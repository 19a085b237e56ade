#!/usr/bin/env bash
# Stop the services that tests/services/start.sh started under $SB_SERVICES_DIR.
#
#   tests/services/stop.sh            # stop, keep data (start.sh restarts on it)
#   tests/services/stop.sh --purge    # stop and delete $SB_SERVICES_DIR
#
# Stops by the pid files in that folder only: a server start.sh merely reused (someone
# else's, on the same port) has no pid file here and is left alone.
# Prints nothing on stdout (progress and errors go to stderr), so callers such as
# .ci/run keep control of their last output line. Exits non-zero if something would not stop.
set -euo pipefail

SB_SERVICES_DIR=${SB_SERVICES_DIR:-/tmp/sharpbench-services}
# Seconds to wait after each signal before escalating.
SB_STOP_TIMEOUT=${SB_STOP_TIMEOUT:-30}

purge=0
case ${1:-} in
    --purge) purge=1 ;;
    "") ;;
    *) echo "usage: $0 [--purge]" >&2; exit 2 ;;
esac

log() { echo "[services] $*" >&2; }

# True if PID is a live process. Not just `kill -0`: a server that has exited stays a
# zombie until init reaps it (seconds, on some machines), and kill -0 succeeds on zombies.
is_running() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }          # drop "pid (comm) ", comm may contain spaces
    [[ ${stat%% *} != Z ]]     # first remaining field is the state
}

# wait_gone PID SECONDS: poll, since these servers are not our children (no `wait`).
wait_gone() {
    local pid=$1 deadline=$((SECONDS + $2))
    while is_running "$pid"; do
        ((SECONDS >= deadline)) && return 1
        sleep 0.2
    done
}

failed=0

# stop_pid NAME PIDFILE COMM SIGNAL [ESCALATION_SIGNAL...]
# Sends SIGNAL to the pid in PIDFILE if it is alive and really is COMM (a stale pid file's
# number may have been reused by an unrelated process), then escalates if it lingers.
stop_pid() {
    local name=$1 pidfile=$2 comm=$3
    shift 3
    local pid sig
    [[ -s $pidfile ]] || return 0
    pid=$(head -n 1 "$pidfile")
    if ! [[ $pid =~ ^[0-9]+$ ]] || ! is_running "$pid"; then
        return 0    # not running; the server clears or overwrites its stale pid file itself
    fi
    if [[ $(cat "/proc/$pid/comm" 2>/dev/null) != "$comm" ]]; then
        log "$name: pid $pid from $pidfile is not $comm; leaving it alone"
        return 0
    fi
    for sig in "$@"; do
        log "$name: sending SIG$sig to $pid"
        kill -s "$sig" "$pid" 2>/dev/null || return 0
        wait_gone "$pid" "$SB_STOP_TIMEOUT" && { log "$name: stopped"; return 0; }
    done
    log "ERROR: $name (pid $pid) is still running"
    failed=1
}

if [[ -d $SB_SERVICES_DIR ]]; then
    # Redis: TERM = save (if configured) and exit. KILL only if it hangs.
    stop_pid "Redis (cache)" "$SB_SERVICES_DIR/redis-cache/redis.pid" redis-server TERM KILL
    stop_pid "Redis (queue)" "$SB_SERVICES_DIR/redis-queue/redis.pid" redis-server TERM KILL
    # PostgreSQL: TERM is a *smart* shutdown that waits for every client to disconnect
    # (forever, if a test leaked a connection); INT is the fast shutdown, QUIT the
    # immediate one. KILL last: it would orphan the backends.
    stop_pid PostgreSQL "$SB_SERVICES_DIR/postgres/data/postmaster.pid" postgres INT QUIT KILL
    # MariaDB: TERM = clean shutdown.
    stop_pid MariaDB "$SB_SERVICES_DIR/mariadb/mariadb.pid" mariadbd TERM KILL
fi

if ((purge)); then
    if ((failed)); then
        log "not purging $SB_SERVICES_DIR: some server is still running"
    elif [[ -f $SB_SERVICES_DIR/.sharpbench-services ]]; then
        # Only a folder start.sh created (it has the marker) is ever deleted.
        rm -rf -- "$SB_SERVICES_DIR"
        log "purged $SB_SERVICES_DIR"
    elif [[ -e $SB_SERVICES_DIR ]]; then
        log "not purging $SB_SERVICES_DIR: no .sharpbench-services marker in it"
        failed=1
    fi
fi

exit "$failed"
