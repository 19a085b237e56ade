#!/usr/bin/env bash
# Resident memory of a whole deployment (issue 19), role by role, beside frappe_docker's processes
# for the same roles. Ours: one bench on a MariaDB site (the test service) with its own Redis, every
# role frappe_docker runs as its own process (backend `serve`, websocket `socketio`, queue-short
# `worker --queue short,default`, queue-long `worker --queue long,default,short`, `schedule`), then
# the same with one `worker-pool --num-workers 2` for both queues, then `bench start` alone (every
# role in one process). Theirs, from ../shared/peers: gunicorn gthread with 2 workers (master + 2),
# two idle `rq worker` processes, the Node socket.io relay. Frappe's own scheduler cannot run here
# (no Frappe); its stand-in is a Python process that imported redis and rq and waits: a lower
# bound, Frappe's `bench schedule` imports the whole framework.
# Each server gets the same warm-up (ping and document GETs through wrk for its web role), then
# 10 s to settle; RSS is VmRSS from /proc (a process tree summed for gunicorn).
# Hold the machine: flock -x /tmp/sb-cpu.lock benchmarks/deployment-memory.sh
# Needs (theirs): gunicorn python3-werkzeug python3-rq python3-redis (Debian), node and npm.
# Env: PORT (16395: Redis) SETTLE (10) PEERS ONLY (all | ours | theirs)
# Last line: deployment-memory: ours_mib=N pool_mib=N start_mib=N theirs_mib=N
set -Eeuo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
. "$here/lib.sh"
[ -f /tmp/sharpbench-services/env.sh ] && . /tmp/sharpbench-services/env.sh
PEERS=${PEERS:-$(cd "$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir)/../.." && pwd)/shared/peers}
PORT=${PORT:-16395}; SETTLE=${SETTLE:-10}; ONLY=${ONLY:-all}
ours_total=- pool_total=- start=- theirs=-
P_WEB=18095 P_RT=18096 P_GUNI=18097 P_NODE=18098
for p in $PORT $P_WEB $P_RT $P_GUNI $P_NODE; do port_free "$p"; done
run=$(mktemp -d /tmp/sb-deploy-mem.XXXXXX)
trap 'stop_bg; rm -rf "$run"' EXIT
"$repo/bench" --help >/dev/null
BENCH="$repo/.build/bench/bench"

rss_mib() {  # rss_mib PID...: summed VmRSS in MiB
  local total=0 p kb
  for p in "$@"; do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  awk -v k="$total" 'BEGIN { printf "%.1f", k / 1024 }'
}
children() { pgrep -P "$1" | tr '\n' ' '; }

if [ "$ONLY" != theirs ]; then
start_bg "$run/redis.log" redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --dir "$run" --protected-mode yes
for _ in $(seq 150); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
REDIS_PID=$BG_PID

mkdir -p "$run/bench/sites"
cd "$run/bench"
printf '{"redis_queue": "redis://127.0.0.1:%s", "redis_cache": "redis://127.0.0.1:%s", "socketio_port": %s}\n' "$PORT" "$PORT" "$P_RT" >sites/common_site_config.json
"$BENCH" new-site mem.local --admin-password admin --set-default --db-type mariadb --db-host "${SB_MARIADB_HOST:-127.0.0.1}" \
  --db-port "${SB_MARIADB_PORT:-13306}" --db-root-username "${SB_MARIADB_ROOT_USER:-root}" --db-root-password "${SB_MARIADB_ROOT_PASSWORD:-root}" >/dev/null
cd "$here"

warm_web() {  # warm_web PORT: ping and, with a session, a document GET, 3 s each at c=8
  local base="http://127.0.0.1:$1" sid name
  wait_http "$base/api/method/ping"
  sid=$(curl -fsS -c - -H 'Content-Type: application/json' -d '{"usr":"Administrator","pwd":"admin"}' "$base/api/method/login" | awk '$6 == "sid" {print $7}')
  name=$(curl -fsS -b "sid=$sid" -H 'Content-Type: application/json' -d '{"description":"memory"}' "$base/api/resource/ToDo" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["name"])')
  wrk -t1 -c8 -d3s "$base/api/method/ping" >/dev/null
  wrk -t1 -c8 -d3s -H "Cookie: sid=$sid" "$base/api/resource/ToDo/$name" >/dev/null
}
in_bench() { cd "$run/bench" && exec "$@"; }   # runs in start_bg's own subshell: the PID is the bench

# --- ours, one process per role
declare -A ours=()
start_bg "$run/serve.log" in_bench "$BENCH" serve --port $P_WEB --bind 127.0.0.1; ours[serve]=$BG_PID
start_bg "$run/socketio.log" in_bench "$BENCH" socketio --port $P_RT --bind 127.0.0.1; ours[socketio]=$BG_PID
start_bg "$run/short.log" in_bench "$BENCH" worker --queue short,default; ours[worker-short]=$BG_PID
start_bg "$run/long.log" in_bench "$BENCH" worker --queue long,default,short; ours[worker-long]=$BG_PID
start_bg "$run/schedule.log" in_bench "$BENCH" schedule; ours[schedule]=$BG_PID
warm_web $P_WEB
wait_http "http://127.0.0.1:$P_RT/socket.io/?EIO=4&transport=polling" 50 || true
sleep "$SETTLE"
echo "| role | SharpBench process | MiB |"
echo "|---|---|---:|"
ours_total=0
for role in serve socketio worker-short worker-long schedule; do
  m=$(rss_mib "${ours[$role]}")
  echo "| $role | \`bench ${role/worker-*/worker}\` | $m |"
  ours_total=$(awk -v a="$ours_total" -v b="$m" 'BEGIN { printf "%.1f", a + b }')
done
echo "| all five | | **$ours_total** |"
# the same with one pool for both queues
kill -TERM "${ours[worker-short]}" "${ours[worker-long]}"
start_bg "$run/pool.log" in_bench "$BENCH" worker-pool --num-workers 2 --queue short,default,long; POOL=$BG_PID
sleep "$SETTLE"
pool=$(rss_mib "$POOL")
pool_total=$(awk -v a="$(rss_mib "${ours[serve]}")" -v b="$(rss_mib "${ours[socketio]}")" -v c="$(rss_mib "${ours[schedule]}")" -v p="$pool" 'BEGIN { printf "%.1f", a + b + c + p }')
echo "| both queues | \`bench worker-pool --num-workers 2\` | $pool |"
echo "| serve, socketio, schedule, pool | | **$pool_total** |"
stop_bg

# --- bench start alone: every role in one process
start_bg "$run/redis2.log" redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --dir "$run" --protected-mode yes
for _ in $(seq 150); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
start_bg "$run/start.log" in_bench "$BENCH" start --port $P_WEB --bind 127.0.0.1; START=$BG_PID
warm_web $P_WEB
sleep "$SETTLE"
start=$(rss_mib "$START" $(children "$START"))
echo "| every role | \`bench start\` (one process) | **$start** |"
stop_bg
fi
[ "$ONLY" = ours ] && { echo "deployment-memory: ours_mib=$ours_total pool_mib=$pool_total start_mib=$start theirs_mib=-"; exit 0; }

# --- theirs
cp -r "$PEERS/node" "$run/node"
(cd "$run/node" && npm ci --no-audit --no-fund --silent >/dev/null 2>&1)
start_bg "$run/redis3.log" redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --dir "$run" --protected-mode yes
for _ in $(seq 150); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
start_bg "$run/gunicorn.log" /usr/bin/gunicorn --chdir "$PEERS/web" --bind 127.0.0.1:$P_GUNI \
  --workers=2 --threads=4 --worker-class=gthread --worker-tmp-dir=/dev/shm --timeout=120 --preload app:application
GUNI=$BG_PID
RT_PORT=$P_NODE RT_REDIS="redis://127.0.0.1:$PORT" start_bg "$run/node.log" node "$run/node/server.js"; NODE=$BG_PID
start_bg "$run/rq1.log" /usr/bin/rq worker --url "redis://127.0.0.1:$PORT/0" short default; RQ1=$BG_PID
start_bg "$run/rq2.log" /usr/bin/rq worker --url "redis://127.0.0.1:$PORT/0" long default short; RQ2=$BG_PID
start_bg "$run/sched.log" /usr/bin/python3 -c 'import time, redis, rq; r = redis.Redis(port='"$PORT"'); r.ping(); time.sleep(3600)'; SCHED=$BG_PID
wait_http "http://127.0.0.1:$P_GUNI/api/method/ping"
wrk -t1 -c8 -d6s "http://127.0.0.1:$P_GUNI/api/method/ping" >/dev/null
sleep "$SETTLE"
guni=$(rss_mib "$GUNI" $(children "$GUNI")); node=$(rss_mib "$NODE"); rq1=$(rss_mib "$RQ1"); rq2=$(rss_mib "$RQ2"); sched=$(rss_mib "$SCHED")
theirs=$(awk -v a="$guni" -v b="$node" -v c="$rq1" -v d="$rq2" -v e="$sched" 'BEGIN { printf "%.1f", a + b + c + d + e }')
echo "| backend | gunicorn gthread, master + 2 workers (Werkzeug app) | $guni |"
echo "| websocket | Node socket.io relay | $node |"
echo "| queue-short | \`rq worker short default\` (idle) | $rq1 |"
echo "| queue-long | \`rq worker long default short\` (idle) | $rq2 |"
echo "| scheduler | Python with redis + rq imported (stand-in, lower bound) | $sched |"
echo "| all five | | **$theirs** |"
stop_bg
echo "deployment-memory: ours_mib=$ours_total pool_mib=$pool_total start_mib=$start theirs_mib=$theirs"
