#!/bin/sh
# heartbeat-check ROLE: the healthcheck of a bench role's container (worker, scheduler, serve,
# socketio). Exit 0 when the role's health file is younger than the age written in it, else 1
# with the reason. The role rewrites the file after each successful self-check (a worker's Redis
# heartbeat, a scheduler's lease refresh, a web role answering its own /healthz), so the probe is
# a stat: no .NET start, nothing that can pile up on a busy host.
role=${1:?usage: heartbeat-check worker|scheduler|serve|socketio}
file=${SHARPBENCH_HEALTH_DIR:-${TMPDIR:-/tmp}/sharpbench-health}/$role
if ! { read -r max _ <"$file"; } 2>/dev/null; then
  echo "no $role heartbeat yet ($file)"
  exit 1
fi
case "$max" in
  '' | *[!0-9]*)
    echo "$role: unreadable heartbeat file $file"
    exit 1
    ;;
esac
age=$(($(date +%s) - $(stat -c %Y "$file")))
if [ "$age" -gt "$max" ]; then
  echo "$role: last heartbeat ${age}s ago (more than ${max}s)"
  exit 1
fi
