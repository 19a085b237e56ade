#!/usr/bin/env bash
# The document API under load (issue 3, Speed): `bench serve` on a MariaDB site (and on a
# SQLite site for the Directus comparison row), seeded with 1000 ToDo rows, measured with wrk
# in one run: GET one document by name, a 20-row list with a filter and an order, and
# /api/method/ping as the reference, at c=32; then inserts/s with 8 concurrent clients.
# Requests carry a logged-in session cookie (sid), as a browser or the SDK after login does.
# With PEER=1 the Directus peer (../shared/peers/directus/bench.sh, SQLite) runs right after.
# Env: ROUNDS (3) DUR (seconds per wrk run, 10) DBS ("mariadb sqlite") PEER (0) PEERS (path)
set -Eeuo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
. "$here/lib.sh"
ROUNDS=${ROUNDS:-3}; DUR=${DUR:-10}; DBS=${DBS:-mariadb sqlite}; PEER=${PEER:-0}
PORT=18093
port_free "$PORT"
run=$(mktemp -d /tmp/sb-api-bench.XXXXXX)
trap 'stop_bg; rm -rf "$run"' EXIT
"$repo/bench" --help >/dev/null   # builds the Release CLI when sources changed

db_args() {
  case $1 in
    mariadb) echo "--db-type mariadb --db-host ${SB_MARIADB_HOST:-127.0.0.1} --db-port ${SB_MARIADB_PORT:-13306} --db-root-username ${SB_MARIADB_ROOT_USER:-root} --db-root-password ${SB_MARIADB_ROOT_PASSWORD:-root}" ;;
    *) echo "--db-type sqlite" ;;
  esac
}

cat >"$run/insert.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"description":"benchmark insert","priority":"Medium"}'
wrk.headers["Content-Type"] = "application/json"
LUA

echo "| database | request | req/s (c=32) | p50 ms | p99 ms | vs ping |"
echo "|---|---|---:|---:|---:|---:|"
summary=()
for db in $DBS; do
  site="api-$db.local"
  mkdir -p "$run/$db"
  # shellcheck disable=SC2046
  (cd "$run/$db" && "$repo/bench" new-site "$site" --admin-password admin --set-default $(db_args "$db") >/dev/null)
  cd "$run/$db"; start_bg "$run/$db.log" "$repo/.build/bench/bench" serve --port $PORT --bind 127.0.0.1; cd "$here"
  base="http://127.0.0.1:$PORT"
  wait_http "$base/api/method/ping"
  sid=$(curl -fsS -c - -H 'Content-Type: application/json' -d '{"usr":"Administrator","pwd":"admin"}' "$base/api/method/login" | awk '$6 == "sid" {print $7}')
  for batch in 1 2 3 4 5; do
    docs=$(python3 -c "import json; print(json.dumps({'docs': [{'doctype': 'ToDo', 'description': 'seed %d-%d' % ($batch, i), 'status': 'Open' if i % 2 else 'Closed', 'priority': ['Low', 'Medium', 'High'][i % 3]} for i in range(200)]}))")
    curl -fsS -o /dev/null -b "sid=$sid" -H 'Content-Type: application/json' -d "$docs" "$base/api/method/frappe.client.insert_many"
  done
  name=$(curl -fsS -b "sid=$sid" "$base/api/resource/ToDo?limit_page_length=1&limit_start=500" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["name"])')
  list='/api/resource/ToDo?fields=%5B%22name%22%2C%22description%22%2C%22status%22%2C%22priority%22%5D&filters=%5B%5B%22status%22%2C%22%3D%22%2C%22Open%22%5D%5D&order_by=creation%20desc&limit_page_length=20'
  rows=$(curl -fsS -b "sid=$sid" "$base$list" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["data"]))')
  [ "$rows" = 20 ] || { echo "list returned $rows rows" >&2; exit 1; }
  declare -A rps=() p50=() p99=()
  targets=(ping doc list)
  declare -A url=([ping]="$base/api/method/ping" [doc]="$base/api/resource/ToDo/$name" [list]="$base$list")
  for t in "${targets[@]}"; do wrk -t2 -c32 -d2s -H "Cookie: sid=$sid" "${url[$t]}" >/dev/null; done   # warm-up
  for _ in $(seq "$ROUNDS"); do
    for t in "${targets[@]}"; do
      read -r r a b e < <(wrk_run_h 2 32 "$DUR" "${url[$t]}" "Cookie: sid=$sid")
      [ "$e" = 0 ] || echo "warning: $db $t had errors" >&2
      rps[$t]+="$r "; p50[$t]+="$a "; p99[$t]+="$b "
    done
  done
  med() { tr ' ' '\n' <<<"$1" | grep -v '^$' | median; }
  ping_rps=$(med "${rps[ping]}")
  for t in "${targets[@]}"; do
    r=$(med "${rps[$t]}")
    ratio=$(awk -v a="$r" -v b="$ping_rps" 'BEGIN { printf "%.0f %%", 100 * a / b }')
    label=$t; [ "$t" = doc ] && label="GET /api/resource/ToDo/<name>"; [ "$t" = list ] && label="GET 20-row list, filter + order"; [ "$t" = ping ] && label="GET /api/method/ping"
    echo "| $db | $label | $r | $(med "${p50[$t]}") | $(med "${p99[$t]}") | $ratio |"
    summary+=("$db.$t=$r")
  done
  ins=$(wrk -t2 -c8 -d"${DUR}s" --timeout 5s --latency -s "$run/insert.lua" -H "Cookie: sid=$sid" "$base/api/resource/ToDo" | awk '/Requests\/sec:/ {printf "%.0f", $2} /Non-2xx/ {print " (errors: " $0 ")" > "/dev/stderr"}')
  echo "| $db | POST /api/resource/ToDo, 8 clients | $ins | | | |"
  summary+=("$db.insert=$ins")
  stop_bg
  unset rps p50 p99 url
done
echo
echo "summary: ${summary[*]}"
if [ "$PEER" = 1 ]; then
  PEERS=${PEERS:-$(cd "$repo/../shared/peers" 2>/dev/null && pwd || true)}
  echo "== Directus peer (SQLite)"
  bash "$PEERS/directus/bench.sh" | tail -20
fi
