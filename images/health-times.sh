#!/usr/bin/env bash
# How long each container of a compose project took from starting to its first healthy probe,
# from the engine's own events (its clock for both; `docker inspect` keeps only the last five
# probes, so the first healthy one is gone a few seconds later). Run it soon after `up`: the
# engine keeps its last 1000 or so events.
#   images/health-times.sh PROJECT SINCE [LIMIT [SERVICE...]]
# SINCE: a time `docker events --since` takes (e.g. the unix time before `up`). Prints
# "container seconds" per container with a healthcheck, slowest first; with LIMIT (seconds),
# exits 1 when one of the SERVICEs (default: every one with a healthcheck) took longer or never
# became healthy.
set -euo pipefail
project=$1 since=$2 limit=${3:-}
shift $(($# < 3 ? $# : 3))
watched=" $* "
docker events --since "$since" --until "$(date +%s.%N)" --filter type=container \
  --filter "label=com.docker.compose.project=$project" --filter event=start --filter event=health_status \
  --format '{{.TimeNano}} {{.Actor.Attributes.name}} {{index .Actor.Attributes "com.docker.compose.service"}} {{.Action}}' |
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
    }' | sort -k2 -rn
exit "${PIPESTATUS[1]}"
