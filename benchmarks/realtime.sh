#!/usr/bin/env bash
# Realtime benchmark: `bench socketio` against the Node socket.io peer (../shared/peers/realtime.sh),
# in the same run, each with its own redis-server on the same port and flags. The same driver
# (the peer's bench.js/clients.js; ours differ only in sending Frappe's auth headers): CLIENTS
# socket.io-client websocket connections in one room, a publisher on Redis `events`;
#   paced  LAT_RATE msg/s for LAT_SECS s -> publish-to-receive latency p50/p99
#   burst  BURST messages back-to-back    -> delivered messages/s
# plus SharpBench's idle memory per 1,000 connected clients. Each round of either server starts once
# the machine is quiet (wait_quiet), and p99 on a shared 2-core VM swings between rounds, so the
# figures are medians of ROUNDS rounds.
# Env: ROUNDS (5) CLIENTS (200) PROCS (2) PORT (19011) RPORT (16393) PEER (1)
set -Eeuo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
. "$HERE/lib.sh"
PEERS=${PEERS:-$(cd "$ROOT/.." && pwd)/shared/peers}
# From a worktree under /work/wt/<name>, the peers are one level further up.
[ -d "$PEERS" ] || PEERS=$(cd "$ROOT/../.." && pwd)/shared/peers
export ROUNDS=${ROUNDS:-5} CLIENTS=${CLIENTS:-200} PROCS=${PROCS:-2} LAT_RATE=${LAT_RATE:-50} LAT_SECS=${LAT_SECS:-4} BURST=${BURST:-2000} MAX_S=${MAX_S:-20}
PORT=${PORT:-19011}; RPORT=${RPORT:-16393}; PEER=${PEER:-1}
OUT="$ROOT/benchmarks/results/realtime-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
RUN=$(mktemp -d /tmp/sb-bench-rt.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$RUN"
}
trap cleanup EXIT INT TERM
wait_port() { for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# --- the peer, first (it starts and stops its own redis-server on RPORT)
if [ "$PEER" = 1 ]; then
  ROUNDS=$ROUNDS PORT=$((PORT + 1)) RPORT=$RPORT bash "$PEERS/realtime.sh" 2>&1 | tee "$OUT/peer.txt" | tail -1
fi

# --- SharpBench
(cd "$ROOT/tests/conformance/realtime" && npm ci --no-audit --no-fund --silent >/dev/null)
export NODE_PATH="$ROOT/tests/conformance/realtime/node_modules"
"$ROOT/bench" --help >/dev/null
redis-server --bind 127.0.0.1 --port "$RPORT" --save '' --appendonly no --dir "$RUN" --daemonize no >"$OUT/redis.log" 2>&1 &
PIDS+=($!)
wait_port "$RPORT"
mkdir -p "$RUN/bench/sites"
echo "{\"redis_queue\": \"redis://127.0.0.1:$RPORT\"}" >"$RUN/bench/sites/common_site_config.json"
(cd "$RUN/bench" && "$ROOT/bench" new-site bench.local --db-type sqlite --admin-password admin >"$OUT/new-site.log" 2>&1)
SID=$(head -c 32 /dev/urandom | sha256sum | cut -c1-56)
DB=$(ls "$RUN/bench/sites/bench.local/db/"*.sqlite3)
sqlite3 "$DB" "INSERT INTO \"tabSessions\" (sid, user, sessiondata, ipaddress, lastupdate, status) VALUES ('$SID', 'Administrator', '{\"user_type\": \"System User\"}', '127.0.0.1', strftime('%Y-%m-%d %H:%M:%f', 'now', 'localtime'), 'Active');"
(cd "$RUN/bench" && exec "$ROOT/bench" socketio --port "$PORT" --bind 127.0.0.1) >"$OUT/socketio.log" 2>&1 &
S_PID=$!; PIDS+=($S_PID)
wait_port "$PORT"
export RT_URL="http://127.0.0.1:$PORT" RT_REDIS="redis://127.0.0.1:$RPORT" RT_NS=bench.local RT_SID=$SID RT_SERVER_PID=$S_PID
: >"$OUT/results.jsonl"
for r in $(seq "$ROUNDS"); do
  wait_quiet "$OUT/noise.log" "sharpbench round $r"
  timeout $((3 * MAX_S + 60)) node "$HERE/realtime/bench.js" >"$OUT/bench-r$r.json" 2>"$OUT/bench-r$r.err" || { cat "$OUT/bench-r$r.err" >&2; exit 1; }
  tail -1 "$OUT/bench-r$r.json" >>"$OUT/results.jsonl"
  echo "sharpbench round $r: $(tail -1 "$OUT/bench-r$r.json")"
  sleep 1
done
# idle memory: 1,000 more clients connected and idle, RSS before and after (no traffic)
before=$(rss "$S_PID")
CLIENTS=1000 PROCS=2 LAT_RATE=1 LAT_SECS=1 BURST=1 node "$HERE/realtime/bench.js" >"$OUT/idle.json" 2>"$OUT/idle.err" || true
idle_connected=$(python3 -c "import json,sys; print(json.loads(open('$OUT/idle.json').read().splitlines()[-1])['server_rss_kib']['connected'])" 2>/dev/null || echo 0)
echo "idle: RSS before ${before} KiB, with 1000 clients connected ${idle_connected} KiB" | tee "$OUT/idle.txt"

python3 - "$OUT/results.jsonl" "$before" "$idle_connected" "$OUT/peer.txt" <<'PYEOF' | tee "$OUT/summary.txt"
import json, re, statistics as st, sys
rs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
m = lambda f: st.median(f(r) for r in rs)
bad = sum(1 for r in rs if r["lat"]["delivered"] != r["lat"]["expected"] or r["burst"]["delivered"] != r["burst"]["expected"])
burst, p50, p99 = m(lambda r: r["burst"]["deliveries_per_s"]), m(lambda r: r["lat"]["p50_ms"]), m(lambda r: r["lat"]["p99_ms"])
rss0 = rs[0]["server_rss_kib"]["connected"] / 1024
idle = (int(sys.argv[3]) - int(sys.argv[2])) / 1024
print(f"sharpbench: rounds={len(rs)} incomplete={bad} burst {burst:.0f} deliveries/s; paced p50 {p50:.2f} ms p99 {p99:.2f} ms; "
      f"RSS {rss0:.0f} MiB with {rs[0]['clients']} clients; idle +{idle:.1f} MiB per 1,000 clients")
try:
    line = [l for l in open(sys.argv[4]) if l.startswith("REALTIME")][-1]
    pb = float(re.search(r"burst (\d+) deliveries/s", line).group(1))
    pp50, pp99 = map(float, re.search(r"p50 ([\d.]+) ms p99 ([\d.]+) ms", line).groups())
    print(f"peer (node socket.io): burst {pb:.0f} deliveries/s; paced p50 {pp50:.2f} ms p99 {pp99:.2f} ms")
    print(f"RATIO sharpbench/peer: burst throughput {burst / pb:.2f}x; p50 {p50 / pp50:.2f}x; p99 {p99 / pp99:.2f}x (lower latency ratio is better)")
except (IndexError, AttributeError, FileNotFoundError):
    print("peer not run")
PYEOF
