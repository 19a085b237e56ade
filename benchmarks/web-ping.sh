#!/usr/bin/env bash
# /api/method/ping through `bench serve`, against the peers in the same run: gunicorn+Werkzeug
# (frappe_docker's gunicorn settings) and a bare ASP.NET Core (Kestrel) app, from ../shared/peers.
# wrk at c=32 and c=1, ROUNDS rounds, each target in turn within a round so ratios are taken
# close together on this noisy machine. Prints a markdown table and the ratios.
# Needs: wrk, gunicorn, python3-werkzeug (Debian), the .NET SDK.
# Env: ROUNDS (3) DUR (seconds per wrk run, 10) PEERS (path of the peers folder)
set -Eeuo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
. "$here/lib.sh"
PEERS=${PEERS:-$(cd "$repo/../shared/peers" 2>/dev/null && pwd || true)}
[ -d "$PEERS/web" ] || { echo "peers folder not found (set PEERS)" >&2; exit 1; }
ROUNDS=${ROUNDS:-3}; DUR=${DUR:-10}
P_BENCH=18090 P_GUNI=18091 P_KESTREL=18092
for p in $P_BENCH $P_GUNI $P_KESTREL; do port_free "$p"; done
run=$(mktemp -d /tmp/sb-web-ping.XXXXXX)
trap 'stop_bg; rm -rf "$run"' EXIT

# Our side: a bench with one SQLite site as the default site.
"$repo/bench" --help >/dev/null
mkdir -p "$run/bench"
(cd "$run/bench" && "$repo/bench" new-site bench.local --admin-password admin --set-default >/dev/null)
cd "$run/bench"; start_bg "$run/bench.log" "$repo/.build/bench/bench" serve --port $P_BENCH --bind 127.0.0.1; cd "$here"
BENCH_PID=$BG_PID

# Peer A: the Werkzeug app under gunicorn gthread 2x4, as frappe_docker runs Frappe.
start_bg "$run/gunicorn.log" /usr/bin/gunicorn --chdir "$PEERS/web" --bind 127.0.0.1:$P_GUNI \
  --workers=2 --threads=4 --worker-class=gthread --worker-tmp-dir=/dev/shm --timeout=120 --preload app:application
GUNI_PID=$BG_PID

# Peer B: the bare minimal-API Kestrel app, built from a writable copy, run from its folder so
# its appsettings.json (Microsoft.AspNetCore at Warning) applies.
cp -r "$PEERS/kestrel" "$run/kestrel"
(cd "$run/kestrel" && dotnet build -c Release -nologo -v q >"$run/kestrel-build.log" 2>&1)
cd "$run/kestrel"; ASPNETCORE_ENVIRONMENT=Production start_bg "$run/kestrel.log" dotnet bin/Release/net10.0/app.dll --urls "http://127.0.0.1:$P_KESTREL"; cd "$here"
KESTREL_PID=$BG_PID

declare -A NAME=([$P_BENCH]="bench serve" [$P_GUNI]="gunicorn+Werkzeug" [$P_KESTREL]="bare Kestrel")
for p in $P_BENCH $P_GUNI $P_KESTREL; do
  wait_http "http://127.0.0.1:$p/api/method/ping"
  body=$(curl -sS "http://127.0.0.1:$p/api/method/ping")
  [ "$body" = '{"message":"pong"}' ] || { echo "unexpected body from ${NAME[$p]}: $body" >&2; exit 1; }
done
for p in $P_BENCH $P_GUNI $P_KESTREL; do wrk -t2 -c32 -d3s "http://127.0.0.1:$p/api/method/ping" >/dev/null; done

res="$run/results.tsv"; : >"$res"
for r in $(seq "$ROUNDS"); do
  for spec in "2 32" "1 1"; do
    set -- $spec
    for p in $P_BENCH $P_GUNI $P_KESTREL; do
      read -r rps p50 p99 err < <(wrk_run "$1" "$2" "$DUR" "http://127.0.0.1:$p/api/method/ping")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$p" "$2" "$rps" "$p50" "$p99" "$err" | tee -a "$res" >&2
    done
  done
done

rss_bench=$(rss_tree_mib $BENCH_PID); rss_guni=$(rss_tree_mib $GUNI_PID); rss_kestrel=$(rss_tree_mib $KESTREL_PID)
med() { awk -F'\t' -v p="$1" -v c="$2" -v col="$3" '$2==p && $3==c {print $col}' "$res" | median; }
# The ratio of each round, then the median of those, so a drift of the machine cancels out.
ratio() { paste <(awk -F'\t' -v p="$1" -v c="$3" '$2==p && $3==c {print $4}' "$res") \
                <(awk -F'\t' -v p="$2" -v c="$3" '$2==p && $3==c {print $4}' "$res") | awk '{print $1/$2}' | median; }

echo "| target | c=32 req/s | c=32 p50 / p99 ms | c=1 req/s | c=1 p50 / p99 ms | RSS after run |"
echo "|---|---:|---:|---:|---:|---:|"
for p in $P_BENCH $P_GUNI $P_KESTREL; do
  case $p in $P_BENCH) rss=$rss_bench;; $P_GUNI) rss="$rss_guni (master + 2 workers)";; *) rss=$rss_kestrel;; esac
  echo "| ${NAME[$p]} | $(med "$p" 32 4) | $(med "$p" 32 5) / $(med "$p" 32 6) | $(med "$p" 1 4) | $(med "$p" 1 5) / $(med "$p" 1 6) | $rss MiB |"
done
echo
echo "bench/gunicorn c=32: $(ratio $P_BENCH $P_GUNI 32)x; bench/Kestrel c=32: $(ratio $P_BENCH $P_KESTREL 32)x;" \
     "bench/gunicorn c=1: $(ratio $P_BENCH $P_GUNI 1)x; bench/Kestrel c=1: $(ratio $P_BENCH $P_KESTREL 1)x"
if grep -q ' errors' "$res"; then echo "WARNING: some wrk runs reported socket errors or non-2xx answers" >&2; fi
