#!/usr/bin/env bash
# Files (issue 14, Speed): upload and download throughput of one file through `bench serve`
# (SQLite site, logged-in session), and the server's peak RSS while it moves a 5 MB and a
# 50 MB file. Uploads stream to disk, so the peak must not grow with the file's size.
# RSS is sampled every 20 ms from /proc while each transfer runs.
# Env: ROUNDS (3) SIZES_MB ("5 50")
set -Eeuo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
. "$here/lib.sh"
ROUNDS=${ROUNDS:-3}; SIZES_MB=${SIZES_MB:-5 50}
PORT=18094
port_free "$PORT"
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
# sample PID_FILE: writes the peak RSS (KiB) seen until the file's process ends
sampler() {
  local peak=0 v
  while [ -e "$run/sampling" ]; do
    v=$(rss_kib); [ "$v" -gt "$peak" ] && peak=$v
    sleep 0.02
  done
  echo "$peak" >"$run/peak"
}
measure() {  # measure CMD... -> "seconds peak_kib"
  touch "$run/sampling"; sampler & local s=$!
  local t; t=$( { /usr/bin/time -f '%e' "$@" >/dev/null; } 2>&1 | tail -1)
  rm -f "$run/sampling"; wait "$s"
  echo "$t $(cat "$run/peak")"
}

# Warm-up: one small upload and download, so JIT and pools are in place before the baseline.
head -c 100000 /dev/urandom >"$run/warm.bin"
for _ in 1 2 3; do
  curl -fsS -o /dev/null -b "sid=$sid" -F "file=@$run/warm.bin;filename=warm.bin" "$base/api/method/upload_file"
done
curl -fsS -o /dev/null "$base/files/warm.bin"
sleep 1
baseline=$(rss_kib)

echo "bench serve RSS after warm-up: $(awk -v k="$baseline" 'BEGIN {printf "%.1f", k/1024}') MiB"
echo
echo "| file | upload MB/s | download MB/s | peak RSS upload (MiB) | peak RSS download (MiB) | growth over warm-up (MiB) |"
echo "|---:|---:|---:|---:|---:|---:|"
summary=()
for mb in $SIZES_MB; do
  f="$run/f$mb.bin"
  up=() down=() pu=0 pd=0
  for i in $(seq "$ROUNDS"); do
    # Fresh bytes each round, so no upload is answered by content de-duplication.
    head -c $((mb * 1024 * 1024)) /dev/urandom >"$f"
    read -r t p < <(measure curl -fsS -o /dev/null -b "sid=$sid" -F "file=@$f;filename=f$mb-$i.bin" "$base/api/method/upload_file")
    up+=("$(awk -v m="$mb" -v t="$t" 'BEGIN {printf "%.1f", (t > 0 ? m / t : 0)}')"); [ "$p" -gt "$pu" ] && pu=$p
    cmp -s "$f" <(curl -fsS "$base/files/f$mb-$i.bin") || { echo "download of f$mb-$i.bin differs" >&2; exit 1; }
    read -r t p < <(measure curl -fsS -o /dev/null "$base/files/f$mb-$i.bin")
    down+=("$(awk -v m="$mb" -v t="$t" 'BEGIN {printf "%.1f", (t > 0 ? m / t : 0)}')"); [ "$p" -gt "$pd" ] && pd=$p
  done
  u=$(printf '%s\n' "${up[@]}" | median); d=$(printf '%s\n' "${down[@]}" | median)
  peak=$(( pu > pd ? pu : pd ))
  echo "| $mb MB | $u | $d | $(awk -v k="$pu" 'BEGIN {printf "%.1f", k/1024}') | $(awk -v k="$pd" 'BEGIN {printf "%.1f", k/1024}') | $(awk -v a="$peak" -v b="$baseline" 'BEGIN {printf "%.1f", (a-b)/1024}') |"
  summary+=("up${mb}=${u}MB/s down${mb}=${d}MB/s peak${mb}=$(awk -v k="$peak" 'BEGIN {printf "%.1f", k/1024}')MiB")
done
echo
echo "summary: ${summary[*]}"
