#!/usr/bin/env bash
# Ping through the frontend container, taken apart, beside its peer in the same run: the stack of
# benchmarks/containers.sh (compose.yaml + mariadb + redis + noproxy) plus gunicorn (2 workers x 4
# threads, gthread, the peer app of ../shared/peers/web) behind a second frontend of the same image
# and nginx template (benchmarks/peer-gunicorn). For each backend, wrk -t2 -c32 from the host:
#   published  the frontend's published port (the engine's docker-proxy, then nginx, then the backend)
#   frontend   the frontend container's own address (nginx, then the backend; no docker-proxy)
#   backend    the backend container's address (no nginx)
# and nginx's own ceiling: a location in our frontend that answers the ping's body itself
# (return 200, no upstream), through the published port and the container's address. That is the
# most any ping through the frontend can reach on this machine with this engine; and a location
# proxying to nginx itself, the most any proxied ping can reach, whatever the backend.
# And c=1 through the published port, for latency. Rounds alternate ours and the peer's.
# Env: ROUNDS (3) DUR (10) NGINX_WORKERS (empty: the image's "auto"; a number sets both frontends)
#      PEERS (the peers folder; default ../shared/peers beside the main checkout)
# Prints a table and, last, the medians and the ratios; raw wrk output in benchmarks/results/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
cd "$repo"
# shellcheck source=lib.sh
source "$here/lib.sh"
ROUNDS=${ROUNDS:-3} DUR=${DUR:-10}
PEERS=${PEERS:-$(cd "$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir)/../.." && pwd)/shared/peers}
[ -f "$PEERS/web/app.py" ] || { echo "no peer app at $PEERS/web/app.py (set PEERS)" >&2; exit 1; }
image=${CUSTOM_IMAGE:-sharpbench/sharpbench}:${CUSTOM_TAG:-latest}
out="$here/results/containers-proxy-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
port=$(free) peer_port=$(free)
env_file="$out/stack.env"
cp example.env "$env_file"
printf 'HTTP_PUBLISH_PORT=%s\nPEER_PUBLISH_PORT=%s\n' "$port" "$peer_port" >>"$env_file"
dc() { docker compose -p sbbench-proxy --env-file "$env_file" -f compose.yaml -f overrides/compose.mariadb.yaml \
  -f overrides/compose.redis.yaml -f overrides/compose.noproxy.yaml -f "$here/peer-gunicorn/compose.peer.yaml" "$@"; }
trap 'dc down -v --remove-orphans -t 5 >/dev/null 2>&1 || true' EXIT
dc down -v --remove-orphans >/dev/null 2>&1 || true

ctx=$(mktemp -d)
cp "$here/peer-gunicorn/Containerfile" "$PEERS/web/app.py" "$ctx/"
docker build -q -f "$ctx/Containerfile" -t sharpbench-peer/gunicorn:bench "$ctx" >"$out/peer-build.log" 2>&1 || { cat "$out/peer-build.log"; exit 1; }
rm -rf "$ctx"

dc up -d --wait >"$out/up.log" 2>&1 || { tail -20 "$out/up.log"; exit 1; }
dc exec -T backend bench new-site bench.localhost --db-root-password 123 --admin-password admin >"$out/new-site.log" 2>&1
if [ -n "${NGINX_WORKERS:-}" ]; then
  for fe in frontend peer-frontend; do
    dc exec -T -u 0 "$fe" sh -c "sed -i 's/^worker_processes .*/worker_processes $NGINX_WORKERS;/' /etc/nginx/nginx.conf && nginx -s reload"
  done
  sleep 1
fi
# The ceiling location, next to the real ones (same server block, same security headers).
# And a location proxying to a second server of the same nginx that answers by itself, through
# a keepalive pool as the backend's: the ceiling of a proxied ping with a backend that costs nothing.
printf '\tlocation = /nginx-ceiling { default_type application/json; return 200 '"'"'{"message":"pong"}'"'"'; }\n\tlocation = /nginx-proxied { proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass http://ceiling-upstream/nginx-ceiling; }\n' >"$out/ceiling.conf"
printf 'upstream ceiling-upstream { server 127.0.0.1:8081; keepalive 64; }\nserver { listen 127.0.0.1:8081; location = /nginx-ceiling { default_type application/json; return 200 '"'"'{"message":"pong"}'"'"'; } }\n' >"$out/ceiling-server.conf"
docker cp "$out/ceiling.conf" "$(dc ps -q frontend):/tmp/ceiling.conf" >/dev/null
docker cp "$out/ceiling-server.conf" "$(dc ps -q frontend):/tmp/ceiling-server.conf" >/dev/null
dc exec -T -u 0 frontend sh -c "sed -i '/^\tlisten 8080;/r /tmp/ceiling.conf' /etc/nginx/conf.d/frappe.conf && cat /tmp/ceiling-server.conf >>/etc/nginx/conf.d/frappe.conf && nginx -t -q && nginx -s reload"
sleep 1
ip() { docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$(dc ps -q "$1")"; }
declare -A url=(
  [ours-published]="http://127.0.0.1:$port" [peer-published]="http://127.0.0.1:$peer_port"
  [ours-frontend]="http://$(ip frontend):8080" [peer-frontend]="http://$(ip peer-frontend):8080"
  [ours-backend]="http://$(ip backend):8000" [peer-backend]="http://$(ip peer-backend):8000"
)
ceiling=(published "http://127.0.0.1:$port/nginx-ceiling" frontend "http://$(ip frontend):8080/nginx-ceiling"
  proxied-published "http://127.0.0.1:$port/nginx-proxied" proxied-frontend "http://$(ip frontend):8080/nginx-proxied")
for i in 1 5; do
  body=$(curl -sS --max-time 5 "${ceiling[$i]}")
  [ "$body" = '{"message":"pong"}' ] || { echo "the nginx ceiling location ${ceiling[$i]} answered: $body" >&2; exit 1; }
done
for k in "${!url[@]}"; do
  body=$(curl -sS --max-time 5 -H 'Host: bench.localhost' "${url[$k]}/api/method/ping")
  [ "$body" = '{"message":"pong"}' ] || { echo "$k answered: $body" >&2; exit 1; }
done
{
  echo "image $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"
  echo "nginx: $(dc exec -T frontend sh -c 'nginx -v 2>&1; grep -h "^worker_processes" /etc/nginx/nginx.conf')"
  echo "nginx processes in frontend: $(docker top "$(dc ps -q frontend)" -eo pid,comm | grep -c nginx)"
  echo "docker-proxy on the published ports: $(pgrep -c docker-proxy || echo 0) running on the host"
  echo "cpus: $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/setup.txt"

declare -A runs=()
for r in $(seq "$ROUNDS"); do
  for path in published frontend backend; do
    for who in ours peer; do
      k=$who-$path
      wait_quiet "$out/quiet.log" "$k round $r" >/dev/null
      res=$(wrk_run 2 32 "$DUR" "${url[$k]}/api/method/ping" -H 'Host: bench.localhost')
      echo "round $r $k c=32: $res" | tee -a "$out/runs.txt"
      runs[$k]+="${res%% *} "
    done
  done
  for i in 0 2 4 6; do
    k=nginx-${ceiling[$i]}
    wait_quiet "$out/quiet.log" "$k round $r" >/dev/null
    res=$(wrk_run 2 32 "$DUR" "${ceiling[$((i + 1))]}")
    echo "round $r $k c=32: $res" | tee -a "$out/runs.txt"
    runs[$k]+="${res%% *} "
  done
  for who in ours peer; do
    res=$(wrk_run 1 1 "$DUR" "${url[$who-published]}/api/method/ping" -H 'Host: bench.localhost')
    echo "round $r $who-published c=1: $res" | tee -a "$out/runs.txt"
    runs[$who-c1]+="$(awk '{print $2}' <<<"$res") "
  done
done

med() { tr ' ' '\n' <<<"$1" | grep . | median; }
{
  echo
  printf '%-10s %14s %14s %8s\n' path "ours req/s" "peer req/s" ratio
  for path in published frontend backend; do
    o=$(med "${runs[ours-$path]}") p=$(med "${runs[peer-$path]}")
    printf '%-10s %14.0f %14.0f %7.2fx\n' "$path" "$o" "$p" "$(echo "$o / $p" | bc -l)"
  done
  for path in published frontend; do
    printf '%-10s %14.0f   (nginx alone: return 200 in our frontend, no upstream)\n' "nginx-$path" "$(med "${runs[nginx-$path]}")"
  done
  for path in published frontend; do
    printf '%-10s %14.0f   (nginx proxying to nginx: a backend that costs nothing)\n' "nginx-proxied-$path" "$(med "${runs[nginx-proxied-$path]}")"
  done
  echo "c=1 p50 through the published port: ours $(med "${runs[ours-c1]}") ms, peer $(med "${runs[peer-c1]}") ms"
} | tee "$out/summary.txt"
o=$(med "${runs[ours-published]}") p=$(med "${runs[peer-published]}")
echo "CONTAINERS-PROXY ping c=32 through the published port: ours $o req/s, peer (gunicorn, same nginx) $p req/s, $(printf '%.2f' "$(echo "$o / $p" | bc -l)")x; results $out"
