#!/usr/bin/env bash
# The request path on a database server against its real limit (issue 19). For each database,
# `bench serve` on a site with 1,000 ToDo rows, then at c=32, one after the other in each round:
#   ping; our document GET and our 20-row list (wrk, a logged-in sid cookie, as api.sh);
#   the same primary-key SELECT and the same list SELECT straight to the server from a bare
#   client with 32 connections (benchmarks/db-path: MySqlConnector / Npgsql, nothing of ours),
#   sent as the drivers do by default ("text") and prepared once per connection ("prepared");
# and, around every run, the CPU time of `bench serve` and of the database server from /proc,
# divided by the requests or queries that run made.
# A ratio is ours ÷ the faster of the two bare modes, per round; the median of the rounds is
# printed. The list's SQL is the one our list sent (read back with debug=1).
# Hold the machine while it runs: flock -x /tmp/sb-cpu.lock benchmarks/db-path.sh
# Env: ROUNDS (3) DUR (seconds per run, 10) DBS ("mariadb postgres") SOCKET (0: TCP; 1: the
#   site and the bare client use the server's Unix socket, db_socket) BARE ("text prepared")
#   SERVE_ENV (extra environment for `bench serve`, for trials: "A=1 B=2") PERF (1: a `perf`
#   profile of `bench serve` during the first round's GET, its top symbols saved beside the results)
#   MIGRATE (1: `bench migrate` after the rows are in, as a deployment's update runs it; 0: not)
# Last line: db-path: get_ratio=R list_ratio=R own_cpu_us_per_get=N (MariaDB).
set -Eeuo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
. "$here/lib.sh"
[ -f /tmp/sharpbench-services/env.sh ] && . /tmp/sharpbench-services/env.sh
ROUNDS=${ROUNDS:-3}; DUR=${DUR:-10}; DBS=${DBS:-mariadb postgres}; SOCKET=${SOCKET:-0}; BARE=${BARE:-text prepared}
SERVE_ENV=${SERVE_ENV:-}; PERF=${PERF:-0}; MIGRATE=${MIGRATE:-1}
OUT=${OUT:-/tmp/db-path-$(date +%Y%m%d-%H%M%S)}; mkdir -p "$OUT"
PORT=18094
port_free "$PORT"
run=$(mktemp -d /tmp/sb-db-path.XXXXXX)
trap 'stop_bg; rm -rf "$run"' EXIT
"$repo/bench" --help >/dev/null   # builds the Release CLI when sources changed
dotnet build "$here/db-path/DbPath.csproj" -c Release -o "$run/tool" -nologo -v q >"$run/tool-build.log" 2>&1 \
  || { tail -20 "$run/tool-build.log" >&2; exit 1; }

MY_SOCK=${SB_MARIADB_SOCKET:-/tmp/sharpbench-services/mariadb/mariadb.sock}
PG_SOCK_DIR=${SB_POSTGRES_SOCKET_DIR:-/tmp/sharpbench-services/postgres/run}
db_args() {
  case $1 in
    mariadb)
      echo "--db-type mariadb --db-host ${SB_MARIADB_HOST:-127.0.0.1} --db-port ${SB_MARIADB_PORT:-13306} --db-root-username ${SB_MARIADB_ROOT_USER:-root} --db-root-password ${SB_MARIADB_ROOT_PASSWORD:-root}"
      if [ "$SOCKET" = 1 ]; then echo "--db-socket $MY_SOCK"; fi ;;
    postgres)
      echo "--db-type postgres --db-host ${SB_POSTGRES_HOST:-127.0.0.1} --db-port ${SB_POSTGRES_PORT:-15432} --db-root-username ${SB_POSTGRES_ROOT_USER:-postgres} --db-root-password ${SB_POSTGRES_ROOT_PASSWORD:-postgres}"
      if [ "$SOCKET" = 1 ]; then echo "--db-socket $PG_SOCK_DIR"; fi ;;
  esac
}
# The bare client's connection string: the site's own login, as `bench serve` uses it.
bare_cs() {  # bare_cs DB SITE_CONFIG
  python3 - "$1" "$2" "$SOCKET" "$MY_SOCK" "$PG_SOCK_DIR" <<'PY'
import json, sys
db, path, socket, my_sock, pg_dir = sys.argv[1:]
c = json.load(open(path))
if db == "mariadb":
    where = f"Server={my_sock};Protocol=Unix" if socket == "1" else f"Server={c['db_host']};Port={c['db_port']}"
    print(f"{where};User ID={c['db_name']};Password={c['db_password']};Database={c['db_name']};CharacterSet=utf8mb4;SslMode=None")
else:
    host = pg_dir if socket == "1" else c["db_host"]
    print(f"Host={host};Port={c['db_port']};Username={c['db_name']};Password={c['db_password']};Database={c['db_name']};SslMode=Disable")
PY
}

# The database server's CPU time so far, in clock ticks: mariadbd is one process (threads);
# PostgreSQL is the postmaster, its live backends and the backends that already exited (cutime).
server_pid() {
  case $1 in
    mariadb) head -1 "${SB_SERVICES_DIR:-/tmp/sharpbench-services}/mariadb/mariadb.pid" ;;
    postgres) head -1 "${SB_SERVICES_DIR:-/tmp/sharpbench-services}/postgres/data/postmaster.pid" ;;
  esac
}
ticks() {  # ticks PID [with-children]: utime+stime (+cutime+cstime and live children's)
  local pid=$1 total
  total=$(awk '{sub(/^.*\) /, ""); print $12 + $13 + $14 + $15}' "/proc/$pid/stat")
  if [ "${2:-}" = with-children ]; then
    for c in $(pgrep -P "$pid" || true); do
      total=$((total + $(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$c/stat" 2>/dev/null || echo 0)))
    done
  fi
  echo "$total"
}
HZ=$(getconf CLK_TCK)

# wrk_count THREADS CONNS SECONDS URL HEADER -> "rps requests errors"
wrk_count() {
  wrk -t"$1" -c"$2" -d"$3s" --timeout 5s -H "$5" "$4" | awk '
    /requests in/ { n = $1 } /Requests\/sec:/ { r = $2 } /Non-2xx|Socket errors/ { e = "errors" }
    END { printf "%.0f %d %s\n", r, n, (e == "" ? "0" : e) }'
}

res="$run/results.tsv"; : >"$res"   # db round target rps count own_us server_us
summary=()
for db in $DBS; do
  site="dbpath-$db.local"
  mkdir -p "$run/$db"
  # shellcheck disable=SC2046
  (cd "$run/$db" && "$repo/bench" new-site "$site" --admin-password admin --set-default $(db_args "$db") >/dev/null)
  # shellcheck disable=SC2086
  cd "$run/$db"; start_bg "$run/$db.log" env DOTNET_PerfMapEnabled="$PERF" $SERVE_ENV "$repo/.build/bench/bench" serve --port $PORT --bind 127.0.0.1; cd "$here"
  serve_pid=$BG_PID
  spid=$(server_pid "$db")
  base="http://127.0.0.1:$PORT"
  wait_http "$base/api/method/ping"
  sid=$(curl -fsS -c - -H 'Content-Type: application/json' -d '{"usr":"Administrator","pwd":"admin"}' "$base/api/method/login" | awk '$6 == "sid" {print $7}')
  for batch in 1 2 3 4 5; do
    docs=$(python3 -c "import json; print(json.dumps({'docs': [{'doctype': 'ToDo', 'description': 'seed %d-%d' % ($batch, i), 'status': 'Open' if i % 2 else 'Closed', 'priority': ['Low', 'Medium', 'High'][i % 3]} for i in range(200)]}))")
    curl -fsS -o /dev/null -b "sid=$sid" -H 'Content-Type: application/json' -d "$docs" "$base/api/method/frappe.client.insert_many"
  done
  # A deployment runs migrate on every update; it gathers the optimizer's statistics of the
  # tables holding data (MIGRATE=0 leaves them out, to measure the list without them).
  if [ "$MIGRATE" = 1 ]; then
    (cd "$run/$db" && "$repo/bench" --site "$site" migrate >/dev/null)
    sleep 2   # the serve process sees maintenance mode lifted within its 1 s recheck
  fi
  name=$(curl -fsS -b "sid=$sid" "$base/api/resource/ToDo?limit_page_length=1&limit_start=500" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["name"])')
  list='/api/resource/ToDo?fields=%5B%22name%22%2C%22description%22%2C%22status%22%2C%22priority%22%5D&filters=%5B%5B%22status%22%2C%22%3D%22%2C%22Open%22%5D%5D&order_by=creation%20desc&limit_page_length=20'
  # The list's statement as our list sends it, and its one value.
  mapfile -t listsql < <(curl -fsS -b "sid=$sid" "$base$list&debug=1" | python3 -c '
import json, sys
b = json.load(sys.stdin)
assert len(b["data"]) == 20, b
sql, _, values = json.loads(b["_debug_messages"])[-1].rpartition(" -- with ")
print(sql); print(values.strip("\x27"))')
  case $db in
    mariadb) getsql="SELECT * FROM \`tabToDo\` WHERE \`name\` = @p0" ;;
    *) getsql="SELECT * FROM \"tabToDo\" WHERE \"name\" = @p0" ;;
  esac
  cs=$(bare_cs "$db" "$run/$db/sites/$site/site_config.json")
  echo "$db: list SQL: ${listsql[0]} (@p0 = ${listsql[1]})" >&2

  declare -A url=([ping]="$base/api/method/ping" [get]="$base/api/resource/ToDo/$name" [list]="$base$list")
  for t in ping get list; do wrk -t2 -c32 -d2s -H "Cookie: sid=$sid" "${url[$t]}" >/dev/null; done   # warm-up
  for r in $(seq "$ROUNDS"); do
    wait_quiet "$run/quiet.log" "$db round $r"
    for t in ping get list; do
      a=$(ticks "$serve_pid"); s=$(ticks "$spid" with-children)
      if [ "$PERF" = 1 ] && [ "$r" = 1 ] && [ "$t" != ping ]; then
        (sleep 1; perf record -q -F 1999 -g -p "$serve_pid" -o "$OUT/perf-$db-$t.data" -- sleep $((DUR - 2)) >/dev/null 2>&1) &
      fi
      read -r rps n e < <(wrk_count 2 32 "$DUR" "${url[$t]}" "Cookie: sid=$sid")
      b=$(ticks "$serve_pid"); s2=$(ticks "$spid" with-children)
      [ "$e" = 0 ] || echo "warning: $db $t had errors" >&2
      own=$(awk -v d=$((b - a)) -v n="$n" -v hz="$HZ" 'BEGIN { printf "%.0f", d * 1e6 / hz / n }')
      srv=$(awk -v d=$((s2 - s)) -v n="$n" -v hz="$HZ" 'BEGIN { printf "%.0f", d * 1e6 / hz / n }')
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$db" "$r" "$t" "$rps" "$n" "$own" "$srv" | tee -a "$res" >&2
    done
    for mode in $BARE; do
      for t in get list; do
        if [ "$t" = get ]; then set -- "$getsql" "$name"; else set -- "${listsql[0]}" "${listsql[1]}"; fi
        s=$(ticks "$spid" with-children)
        read -r n rps < <("$run/tool/db-path" "$db" "$cs" "$DUR" 32 "$mode" "$@")
        sleep 1   # PostgreSQL: the client's backends have exited; let the postmaster reap them (cutime)
        s2=$(ticks "$spid" with-children)
        # The server's CPU here includes the 2 s warm-up: divide by the queries of both.
        srv=$(awk -v d=$((s2 - s)) -v n="$n" -v dur="$DUR" -v hz="$HZ" 'BEGIN { printf "%.0f", d * 1e6 / hz / (n * (dur + 2) / dur) }')
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$db" "$r" "bare-$mode-$t" "$rps" "$n" "-" "$srv" | tee -a "$res" >&2
      done
    done
  done
  stop_bg
  unset url
  # The site's database goes with the run (the bench folder is deleted on exit).
  root=$(db_args "$db" | grep -oE -- '--db-root-username [^ ]+ --db-root-password [^ ]+')
  # shellcheck disable=SC2086
  (cd "$run/$db" && "$repo/bench" drop-site "$site" $root >/dev/null) || echo "warning: could not drop $site's database" >&2
done

# Per round: ours ÷ the faster bare mode; then the median over rounds.
med() { awk -F'\t' -v d="$1" -v t="$2" -v c="$3" '$1 == d && $3 == t { print $c }' "$res" | median; }
ratio() {  # ratio DB OURS BARE_KIND
  awk -F'\t' -v d="$1" -v o="$2" -v k="$3" '
    $1 != d { next }
    $3 == o { ours[$2] = $4 }
    $3 ~ ("^bare-.*-" k "$") && $4 > best[$2] { best[$2] = $4 }
    END { for (r in ours) if (best[r] > 0) printf "%.3f\n", ours[r] / best[r] }' "$res" | median
}
echo
echo "| database | target | req/s or queries/s (c=32, median) | our CPU µs per request | server CPU µs per request |"
echo "|---|---|---:|---:|---:|"
for db in $DBS; do
  for t in ping get list $(for m in $BARE; do echo "bare-$m-get bare-$m-list"; done); do
    echo "| $db | $t | $(med "$db" "$t" 4) | $(med "$db" "$t" 6) | $(med "$db" "$t" 7) |"
  done
done
echo
for db in $DBS; do
  g=$(ratio "$db" get get); l=$(ratio "$db" list list)
  echo "$db: get/bare $(awk -v x="$g" 'BEGIN{printf "%.0f %%", 100*x}'), list/bare $(awk -v x="$l" 'BEGIN{printf "%.0f %%", 100*x}'), our CPU per GET $(med "$db" get 6) µs, per list $(med "$db" list 6) µs; socket=$SOCKET"
done
cp "$res" "$OUT/results.tsv"
for f in "$OUT"/perf-*.data; do
  [ -f "$f" ] || continue
  perf report -q -i "$f" --no-children --sort dso,sym --percent-limit 0.7 2>/dev/null | grep -v '^$' | head -60 >"${f%.data}.top.txt" || true
  perf report -q -i "$f" --no-children --sort dso --percent-limit 1 2>/dev/null | grep -v '^$' | head -20 >"${f%.data}.dso.txt" || true
done
echo "results: $OUT"
if [[ " $DBS " == *" mariadb "* ]]; then
  echo "db-path: get_ratio=$(ratio mariadb get get) list_ratio=$(ratio mariadb list list) own_cpu_us_per_get=$(med mariadb get 6)"
fi
