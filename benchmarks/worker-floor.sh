#!/usr/bin/env bash
# Worker memory floor: how small can a .NET queue worker be, next to RQ's whole worker?
#
# Publishes benchmarks/worker-floor (NativeAOT, the smallest .NET runtime: StackExchange.Redis and
# the three database drivers, no SharpBench code) and runs it against its own redis-server: ROUNDS
# SET+GET round trips with job-sized JSON, alone and then with one `SELECT 1` on each database.
# Each run prints its own peak RSS (VmHWM, which is never below a 0.5 s sample of it). Then it runs
# the RQ peer (../shared/peers/jobs.sh, one SimpleWorker round) for RQ's worker RSS in the same run.
#
# Needs clang (or clang-14) for the NativeAOT link. MariaDB and PostgreSQL are the test services
# (tests/services/start.sh); a database that is not up is skipped.
# Env: ROUNDS (20000) PORT (16393) PEER (1) PEER_N (5000)
# Last line: the floors and RQ's figure.
set -Eeuo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
. "$HERE/lib.sh"
PEERS=${PEERS:-$(cd "$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir)/../.." && pwd)/shared/peers}
ROUNDS=${ROUNDS:-20000}; PORT=${PORT:-16393}; PEER=${PEER:-1}; PEER_N=${PEER_N:-5000}
RUN=$(mktemp -d /tmp/sb-bench-floor.XXXXXX)
OUT="$ROOT/benchmarks/results/worker-floor-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
trap 'stop_bg; rm -rf "$RUN"' EXIT INT TERM
port_free "$PORT"
[ -f /tmp/sharpbench-services/env.sh ] && . /tmp/sharpbench-services/env.sh

linker=$(command -v clang || command -v clang-14 || true)
[ -n "$linker" ] || { echo "NativeAOT needs clang: apt-get install clang" >&2; exit 1; }
echo "publishing the probe with NativeAOT (linker $(basename "$linker"))..."
dotnet publish "$HERE/worker-floor/WorkerFloor.csproj" -c Release -r linux-x64 -o "$RUN/probe" -nologo -v q \
  -p:CppCompilerAndLinker="$(basename "$linker")" >"$OUT/build.log" 2>&1 || { tail -20 "$OUT/build.log" >&2; exit 1; }
PROBE=$RUN/probe/worker-floor
{ echo "bench: $(git -C "$ROOT" rev-parse --short HEAD)"; echo "dotnet: $(dotnet --version)"; echo "probe: $(stat -c %s "$PROBE") bytes"; } | tee "$OUT/versions.txt"

start_bg "$OUT/redis.log" redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --dir "$RUN" --protected-mode yes
for _ in $(seq 150); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

probe() {  # probe NAME [DB CONNECTION]: peak RSS in MiB, or "-" when the database is not up
  local kib
  if ! kib=$("$PROBE" "$PORT" "$ROUNDS" "${@:2}" 2>>"$OUT/probe.err"); then echo "-"; return; fi
  awk -v k="${kib% kB}" 'BEGIN{printf "%.1f", k/1024}'
}
redis_only=$(probe redis)
mariadb=$(probe mariadb mariadb "Server=${SB_MARIADB_HOST:-127.0.0.1};Port=${SB_MARIADB_PORT:-13306};User ID=${SB_MARIADB_ROOT_USER:-root};Password=${SB_MARIADB_ROOT_PASSWORD:-root};SslMode=None")
postgres=$(probe postgres postgres "Host=${SB_POSTGRES_HOST:-127.0.0.1};Port=${SB_POSTGRES_PORT:-15432};Username=${SB_POSTGRES_ROOT_USER:-postgres};Password=${SB_POSTGRES_ROOT_PASSWORD:-postgres};SslMode=Disable")
sqlite=$(probe sqlite sqlite "Data Source=:memory:")
line="NativeAOT floor (Redis + drivers, no framework), peak RSS MiB: Redis only $redis_only, +MariaDB query $mariadb, +PostgreSQL query $postgres, +SQLite query $sqlite"
echo "$line" | tee "$OUT/summary.txt"
stop_bg

if [ "$PEER" = 1 ]; then
  echo "running the RQ peer: ROUNDS=1 MODES=simple1 N=$PEER_N PORT=$PORT"
  peer_out=$(ROUNDS=1 MODES=simple1 N=$PEER_N PORT=$PORT bash "$PEERS/jobs.sh" 2>&1 | tee "$OUT/peer.log")
  rq_rss=$(grep -E '^simple1 ' <<<"$peer_out" | grep -oE 'worker procs [0-9.]+' | grep -oE '[0-9.]+' || true)
  line="$line | RQ SimpleWorker peak RSS ${rq_rss:-?} MiB (sampled every 0.5 s)"
  echo "$line" >>"$OUT/summary.txt"
fi
echo "results: $OUT"
echo "$line"
