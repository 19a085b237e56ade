#!/usr/bin/env bash
# Jobs benchmark: SharpBench's `bench worker --burst` draining N no-op jobs from Redis, against
# RQ doing the same with ../shared/peers/jobs.sh, in the same run, each on its own
# redis-server with the same flags (port $PORT, no persistence, flushed first).
#
# Measures, for SharpBench:
#   enqueue  N jobs, one BackgroundJobs.EnqueueAsync call each (as an app calls frappe.enqueue), jobs/s
#   drain    one `bench worker --burst --queue default`, timed from its start to its exit (incl. .NET start-up)
#   latency  enqueue-to-start p50/p99 with an idle (already running) worker, LAT_N jobs LAT_GAP_MS apart
#   RSS      peak RSS of the worker process while draining (sampled every 0.5 s)
# then runs the RQ peer (PEER=0 skips it; its knobs ROUNDS/MODES/N pass through as PEER_ROUNDS,
# PEER_MODES, PEER_N; defaults ROUNDS=1 MODES=simple1 N=5000: the peer's full default run takes ~27 min).
#
# Env: N (20000) LAT_N (500) LAT_GAP_MS (10) PORT (16391) PEER (1) PEER_ROUNDS (1) PEER_MODES (simple1) PEER_N (5000)
# Last line: the figures and the ratios.
set -Eeuo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# ../shared/peers beside the main checkout (a git worktree elsewhere finds it through the common .git).
PEERS=${PEERS:-$(cd "$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir)/../.." && pwd)/shared/peers}
N=${N:-20000}; LAT_N=${LAT_N:-500}; LAT_GAP_MS=${LAT_GAP_MS:-10}; PORT=${PORT:-16391}
PEER=${PEER:-1}; PEER_ROUNDS=${PEER_ROUNDS:-1}; PEER_MODES=${PEER_MODES:-simple1}; PEER_N=${PEER_N:-5000}
RUN=$(mktemp -d /tmp/sb-bench-jobs.XXXXXX)
OUT="$ROOT/benchmarks/results/jobs-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$RUN"
}
trap cleanup EXIT INT TERM
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then echo "port $PORT already in use; refusing to start" >&2; exit 1; fi

echo "building bench and the example app (Release)..."
dotnet build "$ROOT/src/SharpBench.Cli/SharpBench.Cli.csproj" -c Release -o "$RUN/cli" -nologo -v q -p:UseAppHost=true >"$OUT/build.log" 2>&1
mkdir -p "$RUN/bench/apps/jobs_example"
dotnet build "$ROOT/apps/jobs_example/jobs_example.csproj" -c Release -o "$RUN/app" -nologo -v q >>"$OUT/build.log" 2>&1
cp "$RUN/app/jobs_example.dll" "$RUN/bench/apps/jobs_example/"
BENCH="$RUN/cli/bench"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 SHARPBENCH_LOG_FORMAT=plain

redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --dir "$RUN" --daemonize no --protected-mode yes >"$OUT/redis.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 150); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
redis-cli -p "$PORT" FLUSHALL >/dev/null

cd "$RUN/bench"
mkdir -p sites
printf 'frappe\njobs_example\n' >sites/apps.txt
echo "{\"redis_queue\": \"redis://127.0.0.1:$PORT\", \"bench_id\": \"jobs-benchmark\"}" >sites/common_site_config.json
"$BENCH" new-site bench.local --admin-password admin --db-type sqlite >"$OUT/new-site.log" 2>&1
S=(--site bench.local)
{ echo "bench: $(git -C "$ROOT" rev-parse --short HEAD)"; echo "dotnet: $(dotnet --version)"; echo "redis-server: $(redis-server --version)"; } | tee "$OUT/versions.txt"

# --- enqueue N, then drain with one burst worker
enq=$("$BENCH" "${S[@]}" execute jobs_example.enqueue_many --kwargs "{\"n\": $N, \"tag\": \"drain\"}")
echo "enqueue: $enq" | tee "$OUT/enqueue.json"
enq_rate=$(sed -E 's/.*"per_second":([0-9.]+).*/\1/' <<<"$enq")
t0=$(date +%s.%N)
"$BENCH" worker --burst --queue default >"$OUT/worker-drain.log" 2>&1 &
W=$!; PIDS+=($W)
peak=0
while kill -0 "$W" 2>/dev/null; do
  kib=$(ps -o rss= -p "$W" 2>/dev/null || echo 0); kib=${kib// /}; [ -n "$kib" ] && [ "$kib" -gt "$peak" ] && peak=$kib
  sleep 0.5
done
wait "$W"
t1=$(date +%s.%N)
stats=$("$BENCH" "${S[@]}" execute jobs_example.job_stats --kwargs '{"tag": "drain"}')
echo "drain stats: $stats" | tee "$OUT/drain.json"
grep -q "\"finished\":$N," <<<"$stats" || { echo "drain did not finish all $N jobs: $stats" >&2; exit 1; }
el=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')
jps=$(awk -v n="$N" -v e="$el" 'BEGIN{printf "%.0f", n/e}')
{ head -3 "$OUT/worker-drain.log"; echo ...; tail -3 "$OUT/worker-drain.log"; } >"$OUT/worker-drain.head-tail.log"; rm -f "$OUT/worker-drain.log"
echo "drain: $N jobs in $el s = $jps jobs/s, worker peak RSS $((peak / 1024)) MiB"

# --- latency with an idle worker
"$BENCH" worker --queue default --quiet >"$OUT/worker-idle.log" 2>&1 &
W=$!; PIDS+=($W)
sleep 3
"$BENCH" "${S[@]}" execute jobs_example.enqueue_many --kwargs "{\"n\": $LAT_N, \"tag\": \"latency\", \"gap_ms\": $LAT_GAP_MS}" >/dev/null
sleep 2
lat=$("$BENCH" "${S[@]}" execute jobs_example.job_stats --kwargs '{"tag": "latency"}')
echo "latency stats: $lat" | tee "$OUT/latency.json"
kill -TERM "$W"; wait "$W" || true
p50=$(sed -E 's/.*"latency_p50_ms":([0-9.]+).*/\1/' <<<"$lat"); p99=$(sed -E 's/.*"latency_p99_ms":([0-9.]+).*/\1/' <<<"$lat")
kill -TERM "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true

line="SHARPBENCH N=$N: drain $jps jobs/s (one bench worker --burst), enqueue $enq_rate jobs/s, idle latency p50 ${p50} ms p99 ${p99} ms, worker peak RSS $((peak / 1024)) MiB"
echo "$line" | tee "$OUT/summary.txt"

if [ "$PEER" = 1 ]; then
  echo "running the RQ peer: ROUNDS=$PEER_ROUNDS MODES=\"$PEER_MODES\" N=$PEER_N PORT=$PORT"
  peer_out=$(ROUNDS=$PEER_ROUNDS MODES=$PEER_MODES N=$PEER_N PORT=$PORT bash "$PEERS/jobs.sh" 2>&1 | tee "$OUT/peer.log")
  peer_line=$(tail -1 <<<"$peer_out")
  echo "$peer_line" >>"$OUT/summary.txt"
  rq=$(grep -oE 'simple1=[0-9]+' <<<"$peer_line" | cut -d= -f2 || true)
  rq_enq=$(grep -E '^simple1 ' <<<"$peer_out" | grep -oE 'enqueue med [0-9]+' | grep -oE '[0-9]+' || true)
  rq_rss=$(grep -E '^simple1 ' <<<"$peer_out" | grep -oE 'worker procs [0-9.]+' | grep -oE '[0-9.]+' || true)
  ratio=$(awk -v a="$jps" -v b="${rq:-0}" 'BEGIN{ if (b>0) printf "%.1f", a/b; else print "n/a" }')
  eratio=$(awk -v a="$enq_rate" -v b="${rq_enq:-0}" 'BEGIN{ if (b>0) printf "%.1f", a/b; else print "n/a" }')
  line="$line | RQ SimpleWorker N=$PEER_N: ${rq:-?} jobs/s, enqueue ${rq_enq:-?} jobs/s, worker RSS ${rq_rss:-?} MiB | drain ratio ${ratio}x, enqueue ratio ${eratio}x"
  echo "$line" >>"$OUT/summary.txt"
fi
echo "results: $OUT"
echo "$line"
