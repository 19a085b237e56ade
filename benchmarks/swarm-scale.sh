#!/usr/bin/env bash
# Throughput as the swarm scales on this machine (not in CI): deploys deploy/swarm/ like
# tests/conformance/swarm/run.sh, then measures through the frontend
#   - backend replicas 1 -> 2: ping and a document GET (wrk, 16 connections, 15 s each);
#   - queue-short replicas 1 -> 4 draining no-op jobs (queue-long scaled to 0);
# and each role's memory per replica (docker stats). Prints a table; removes the stack at the end.
# Usage: benchmarks/swarm-scale.sh   (root; holds /tmp/sb-cpu.lock while it runs)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
cd "$repo"
if [ -z "${SB_SWARM_LOCKED:-}" ]; then
  export SB_SWARM_LOCKED=1
  exec flock -x -o /tmp/sb-cpu.lock bash "$0" "$@"
fi
source tests/conformance/containers/lib.sh
source tests/conformance/swarm/swarm.sh
work=$(mktemp -d /tmp/sb-swarm-bench.XXXXXX)
IMAGE=sharpbench-swarm/sharpbench:test
TEST_IMAGE=sharpbench-swarm/stack-check:test
ROLL_IMAGE=sharpbench-swarm/stack-check:roll
trap 'remove_stack; leave_swarm; rm -rf "$work"' EXIT
DURATION=${DURATION:-15}
JOBS_N=${JOBS_N:-3000}

docker image inspect "$TEST_IMAGE" >/dev/null 2>&1 || { echo "run tests/conformance/swarm/run.sh once first (it builds $TEST_IMAGE)"; exit 1; }
echo "# $(date -u +%FT%TZ), load average before the deploy: $(cut -d' ' -f1-3 /proc/loadavg)"
join_swarm || exit 1
deploy_stack >"$work/deploy.log" 2>&1 || { cat "$work/deploy.log"; exit 1; }
sid=$(login)
todo=$(web -f -b "sid=$sid" -H 'Content-Type: application/json' -d '{"description":"benchmark"}' /api/resource/ToDo | jq -r .data.name)

rate() {   # rate PATH: requests/s through the frontend, and non-2xx/socket errors
  wrk -t2 -c16 -d"${DURATION}s" -H "Host: $SITE" -H "Cookie: sid=$sid" "http://127.0.0.1:$PORT$1" >"$work/wrk.txt" 2>&1
  local rps bad
  rps=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$work/wrk.txt")
  bad=$(grep -oE 'Non-2xx or 3xx responses: [0-9]+|Socket errors.*' "$work/wrk.txt" | paste -sd' ')
  echo "$rps${bad:+ ($bad)}"
}
mem() {    # mem SERVICE: MiB per running task, space-separated
  local c out=""
  for c in $(tasks "$1"); do out="$out $(docker stats --no-stream --format '{{.MemUsage}}' "$c" | awk '{print $1}')"; done
  echo "${out# }"
}

echo "# backend replicas through the frontend (wrk -t2 -c16 -d${DURATION}s; 2 cores shared by everything)"
echo "| backend replicas | ping req/s | document GET req/s |"
echo "|---|---|---|"
for n in 1 2; do
  docker service scale -d=false "${STACK}_backend=$n" >/dev/null 2>&1
  sleep 3
  echo "| $n | $(rate /api/method/ping) | $(rate "/api/resource/ToDo/$todo") |"
done
echo
echo "# queue-short replicas draining $JOBS_N no-op jobs (queue-long at 0)"
echo "| queue-short replicas | jobs/s |"
echo "|---|---|"
docker service scale -d=false "${STACK}_queue-long=0" >/dev/null 2>&1
for n in 1 2 3 4; do
  docker service scale -d=false "${STACK}_queue-short=$n" >/dev/null 2>&1
  sleep 3
  echo "| $n | $(drain "$JOBS_N" 0) |"
done
echo
echo "# memory per replica (docker stats, after the runs above)"
for s in backend websocket frontend queue-short scheduler db redis-queue; do
  echo "- $s: $(mem "$s")"
done
echo
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
