#!/usr/bin/env bash
# How long each container of a compose project took from starting to its first healthy probe,
# from the engine's own events (its clock for both). `docker inspect` keeps only the last five
# probes and the engine only its last 256 events (a stack's probes fill them in ~15 s), so the
# events are recorded while the stack comes up:
#   images/health-times.sh record PROJECT FILE    before `up`: records in the background
#   images/health-times.sh report FILE [LIMIT [SERVICE...]]
# report stops the recording and prints "container seconds" per container with a healthcheck,
# slowest first; with LIMIT (seconds) it exits 1 when one of the SERVICEs (default: every one
# with a healthcheck) took longer or never became healthy.
set -euo pipefail
case ${1:-} in
  record)
    # A recording nobody reports (a stack that never came up) ends by itself.
    timeout 600 docker events --filter type=container --filter "label=com.docker.compose.project=$2" \
      --filter event=start --filter event=health_status \
      --format '{{.TimeNano}} {{.Actor.Attributes.name}} {{index .Actor.Attributes "com.docker.compose.service"}} {{.Action}}' \
      >"$3" 2>/dev/null &
    echo $! >"$3.pid"
    ;;
  report)
    file=$2 limit=${3:-}
    shift $(($# < 3 ? $# : 3))
    watched=" $* "
    sleep 0.5  # the last events reach the file
    [ -f "$file.pid" ] && kill "$(cat "$file.pid")" 2>/dev/null || true
    rm -f "$file.pid"
    awk -v limit="$limit" -v watched="$watched" '
      $4 == "start" { start[$2] = $1; svc[$2] = $3; delete took[$2]; next }
      $4 == "health_status:" { probed[$2] = 1 }
      $5 == "healthy" && ($2 in start) && !($2 in took) { took[$2] = ($1 - start[$2]) / 1e9 }
      END {
        bad = 0
        for (c in start) {
          w = watched == "  " ? (c in probed) : index(watched, " " svc[c] " ") > 0
          if (c in took) printf "%s %.1f\n", c, took[c]
          else if (w) { printf "%s never healthy\n", c; if (limit != "") bad = 1 }
          if (w && limit != "" && (c in took) && took[c] > limit) bad = 1
        }
        exit bad
      }' "$file" | sort -k2 -rn
    exit "${PIPESTATUS[0]}"
    ;;
  *) echo "usage: $0 record PROJECT FILE | report FILE [LIMIT [SERVICE...]]" >&2; exit 2 ;;
esac
