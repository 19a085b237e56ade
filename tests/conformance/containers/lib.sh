# Helpers for run.sh: counting checks, compose for one project, HTTP through the frontend, and
# the logs a failure prints. Sourced, not run.

passed=0 failed=0
# Projects brought up by this run; the EXIT trap removes each with its volumes.
projects=()

# Project state, set by use_project: its name, compose arguments and published HTTP port.
P="" PORT="" DC_ARGS=()

note() { echo "# $*"; }

# use_project NAME ENV_FILE PORT FILE...: later `dc` calls go to this project.
# SB_CT_PROJECT_PREFIX replaces the names' "sbct-", for runs beside another on one engine.
use_project() {
  P=${SB_CT_PROJECT_PREFIX:-sbct-}${1#sbct-} ENVF=$2 PORT=$3
  shift 3
  DC_ARGS=(-p "$P" --env-file "$ENVF")
  for f in "$@"; do DC_ARGS+=(-f "$f"); done
  case " ${projects[*]} " in *" $P "*) ;; *) projects+=("$P") ;; esac
}

dc() { docker compose "${DC_ARGS[@]}" "$@"; }

# The last lines of every container of the current project (or of the services named).
show_logs() {
  [ -n "$P" ] || return 0
  echo "# --- docker compose ps ($P)"
  dc ps -a --format '{{.Service}} {{.State}} {{.Status}}' 2>&1 | sed 's/^/#   /'
  echo "# --- logs ($P${*:+: $*}), last 30 lines each"
  dc --ansi never logs --no-color --tail 30 "$@" 2>&1 | sed 's/^/#   /'
}

# check NAME FUNCTION [ARGS...]: runs the function; it returns non-zero and prints the reason on
# failure. The reason and the project's container logs are printed under a "not ok" line.
check() {
  local name=$1 out rc start
  shift
  start=$SECONDS
  out=$("$@" 2>&1)
  rc=$?
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1))
    echo "ok - $name ($((SECONDS - start)) s)"
    [ -n "$out" ] && echo "$out" | sed 's/^/#   /'
  else
    failed=$((failed + 1))
    echo "not ok - $name ($((SECONDS - start)) s)"
    echo "$out" | sed 's/^/#   /'
    show_logs
  fi
  return $rc
}

# skip_checks REASON NAME...: checks that cannot run because a step before them failed count as failed.
skip_checks() {
  local why=$1
  shift
  for name in "$@"; do
    failed=$((failed + 1))
    echo "not ok - $name (not run: $why)"
  done
}

# until_ok SECONDS DESCRIPTION COMMAND...: retries the command every second until it succeeds.
until_ok() {
  local limit=$1 what=$2 deadline
  shift 2
  deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      echo "$what: not within ${limit}s; last attempt:"
      "$@" 2>&1 | tail -5
      return 1
    fi
    sleep 1
  done
}

# web [curl options] PATH: a request through the frontend's published port for site $SITE.
web() {
  local path=${*: -1}
  curl -sS --max-time 20 -H "Host: $SITE" "${@:1:$#-1}" "http://127.0.0.1:$PORT$path"
}

# login: the Administrator's sid cookie for $SITE, through the frontend.
login() {
  web -D - -o /dev/null -H 'Content-Type: application/json' -d '{"usr":"Administrator","pwd":"admin"}' /api/method/login \
    | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: sid=\([^;]*\).*/\1/p' | head -1
}

# A free TCP port on the host for a published frontend.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# remove_projects: down -v every project this run started (the EXIT trap).
remove_projects() {
  local p
  for p in "${projects[@]}"; do
    docker compose -p "$p" down -v --remove-orphans -t 5 >/dev/null 2>&1 || true
  done
}
