# Helpers shared by the benchmark scripts. Source, don't run.
# Every server started through start_bg is stopped by PID on exit.
BG_PIDS=()
stop_bg() {
  local p
  for p in "${BG_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${BG_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  BG_PIDS=()
}

# start_bg LOG CMD...: run CMD in the background, output to LOG, remember its pid in BG_PID.
start_bg() {
  local log=$1; shift
  "$@" >"$log" 2>&1 &
  BG_PID=$!
  BG_PIDS+=("$BG_PID")
}

wait_http() {  # wait_http URL [tries]
  local url=$1 tries=${2:-300}
  for _ in $(seq "$tries"); do
    curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing answered $url" >&2; return 1
}

port_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "port $1 already in use; refusing to start" >&2; return 1
  fi
}

# wrk_run THREADS CONNS SECONDS URL [WRK ARGS...] -> prints "rps p50_ms p99_ms errors"
wrk_run() {
  local t=$1 c=$2 d=$3 url=$4 out
  shift 4
  out=$(wrk -t"$t" -c"$c" -d"${d}s" --timeout 5s --latency "$@" "$url")
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec:/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx|Socket errors/ { err = err $0 ";" }
    END { printf "%.0f %.3f %.3f %s\n", rps, p50, p99, (err == "" ? "0" : "errors") }' <<<"$out"
}

# wrk_run_h THREADS CONNS SECONDS URL HEADER -> as wrk_run, with one request header
wrk_run_h() { wrk_run "$1" "$2" "$3" "$4" -H "$5"; }

# rss_tree_mib PID: resident memory of PID and its direct children, MiB
rss_tree_mib() {
  { ps -o rss= -p "$1" || true; ps -o rss= --ppid "$1" || true; } 2>/dev/null | awk '{s+=$1} END {printf "%.1f\n", s/1024}'
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# cpu_busy_pct: how busy all CPUs were over the next second, in % (from /proc/stat).
cpu_busy_pct() {
  local a b tot=0 i idle
  read -ra a < <(head -1 /proc/stat); sleep 1; read -ra b < <(head -1 /proc/stat)
  for i in 1 2 3 4 5 6 7 8; do tot=$((tot + b[i] - a[i])); done
  idle=$(( (b[4] - a[4]) + (b[5] - a[5]) ))
  [ "$tot" -gt 0 ] || { echo 0; return; }
  echo $(( 100 * (tot - idle) / tot ))
}

# wait_quiet LOG LABEL: the machine is shared, so before a measured round wait (at most QUIET_MAX s,
# default 90) until it is under QUIET_PCT % busy (default 15), the rule the peers' scripts apply to
# their own rounds; log the wait and the load so noisy rounds can be told apart afterwards.
wait_quiet() {
  local log=$1 label=$2 busy waited=0
  while :; do
    busy=$(cpu_busy_pct)
    [ "$busy" -lt "${QUIET_PCT:-15}" ] && break
    [ "$waited" -ge "${QUIET_MAX:-90}" ] && break
    waited=$((waited + 3)); sleep 2
  done
  echo "$(date -u +%T) $label: busy=${busy}% after waiting ${waited}s; loadavg $(cut -d' ' -f1-3 /proc/loadavg)" >>"$log"
}
