#!/usr/bin/env bash
# The containers, measured: image size, `up` to every service healthy (and each container's start
# to its first healthy probe), idle memory of every service, and ping and a document GET through
# the frontend container at c=32 (wrk, 10 s each, best of 3). Runs compose.yaml with the mariadb, redis and noproxy overrides as its own project
# and removes it (with its volumes) at the end. Needs the engine and the image
# (images/install-engine.sh, images/build-local.sh) and wrk.
# Usage: benchmarks/containers.sh   (prints a summary line last; raw output in benchmarks/results/)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
cd "$repo"
image=${CUSTOM_IMAGE:-sharpbench/sharpbench}:${CUSTOM_TAG:-latest}
out="$here/results/containers-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
env_file="$out/stack.env"
cp example.env "$env_file"
echo "HTTP_PUBLISH_PORT=$port" >>"$env_file"
dc() { docker compose -p sbbench-containers --env-file "$env_file" -f compose.yaml -f overrides/compose.mariadb.yaml \
  -f overrides/compose.redis.yaml -f overrides/compose.noproxy.yaml "$@"; }
trap 'dc down -v --remove-orphans -t 5 >/dev/null 2>&1 || true' EXIT
dc down -v --remove-orphans >/dev/null 2>&1 || true

size=$(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f", $1/1e6}')
images/health-times.sh record sbbench-containers "$out/health-events"
start=$(date +%s.%N)
dc up -d --wait >"$out/up.log" 2>&1
healthy=$(echo "$(date +%s.%N) - $start" | bc)
# Each container's own start to its first healthy probe (the image's goal: 5 s for every role).
images/health-times.sh report "$out/health-events" | sed 's/sbbench-containers-//; s/-1 / /' >"$out/start-to-healthy.txt"
dc exec -T backend bench new-site bench.localhost --db-root-password 123 --admin-password admin >"$out/new-site.log" 2>&1
site=(-H 'Host: bench.localhost')
for _ in $(seq 20); do curl -fsS "${site[@]}" -o /dev/null "http://127.0.0.1:$port/api/method/ping" && break; sleep 0.5; done
sid=$(curl -sS "${site[@]}" -D - -o /dev/null -H 'Content-Type: application/json' -d '{"usr":"Administrator","pwd":"admin"}' \
  "http://127.0.0.1:$port/api/method/login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: sid=\([^;]*\).*/\1/p' | head -1)
todo=$(curl -sS "${site[@]}" -b "sid=$sid" -H 'Content-Type: application/json' -d '{"description":"benchmark"}' \
  "http://127.0.0.1:$port/api/resource/ToDo" | jq -r .data.name)

# Idle: 10 s after the last request, every container's memory as the engine counts it.
sleep 10
docker stats --no-stream --format '{{.Name}} {{.MemUsage}}' $(dc ps -q) | sed 's/sbbench-containers-//; s/-1 / /' | sort >"$out/idle-memory.txt"

best() {  # best URL [header...]: highest req/s of 3 wrk runs at c=32
  local url=$1 b=0 r
  shift
  for i in 1 2 3; do
    wrk -t2 -c32 -d10s --latency "$@" "$url" >"$out/wrk-$(basename "$url" | tr -c 'a-zA-Z0-9' _)-$i.txt"
    r=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$out/wrk-$(basename "$url" | tr -c 'a-zA-Z0-9' _)-$i.txt")
    [ "$r" -gt "$b" ] && b=$r
  done
  echo "$b"
}
ping=$(best "http://127.0.0.1:$port/api/method/ping" -H 'Host: bench.localhost')
doc=$(best "http://127.0.0.1:$port/api/resource/ToDo/$todo" -H 'Host: bench.localhost' -H "Cookie: sid=$sid")
errors=$(grep -h 'Non-2xx\|Socket errors' "$out"/wrk-*.txt || true)

{
  echo "image $image: ${size} MB"
  echo "up -d --wait to every service healthy: ${healthy%.*}.$(echo "$healthy" | cut -d. -f2 | cut -c1) s"
  echo "container start to healthy (s): $(tr '\n' ' ' <"$out/start-to-healthy.txt")"
  echo "idle memory (docker stats):"
  sed 's/^/  /' "$out/idle-memory.txt"
  echo "through the frontend, c=32, best of 3 x 10 s: ping $ping req/s, ToDo GET $doc req/s"
  [ -n "$errors" ] && echo "wrk errors: $errors"
} | tee "$out/summary.txt"
echo "CONTAINERS image ${size} MB; healthy in $(printf '%.1f' "$healthy") s (slowest role $(grep -E '^(backend|websocket|queue-short|queue-long|scheduler|frontend) ' "$out/start-to-healthy.txt" | head -1) s); ping $ping req/s; ToDo GET $doc req/s (c=32 through nginx); results $out"
