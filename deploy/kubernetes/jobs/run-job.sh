#!/usr/bin/env bash
# Runs one of the Jobs (configure, new-site, migrate, backup, drop-site) under a new name each
# time, so it can run again without deleting the last run (which stays for its logs until its
# ttlSecondsAfterFinished). Waits for it and prints its log.
#   deploy/kubernetes/jobs/run-job.sh migrate [-n NAMESPACE]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
job=${1:?usage: run-job.sh configure|new-site|migrate|backup|drop-site [kubectl options]}
shift
[ -f "$here/$job/job.yaml" ] || { echo "no Job named $job in $here" >&2; exit 2; }
# kustomize needs a fixed name; kubectl create turns generateName into sharpbench-JOB-xxxxx.
render() { kubectl kustomize "$here/$job" | sed -E 's/^  name: (sharpbench-[a-z-]+)$/  generateName: \1-/'; }
# RUN_JOB_PRINT=1: print what would be created (the offline tests read it).
if [ -n "${RUN_JOB_PRINT:-}" ]; then render; exit; fi
name=$(render | kubectl create "$@" -f - -o name)
echo "$name"
kubectl wait "$@" --for=condition=complete --timeout=30m "$name" &
wait_complete=$!
kubectl wait "$@" --for=condition=failed --timeout=30m "$name" >/dev/null 2>&1 &
wait_failed=$!
# Whichever comes first decides the exit status.
while kill -0 "$wait_complete" 2>/dev/null && kill -0 "$wait_failed" 2>/dev/null; do sleep 2; done
kubectl logs "$@" "$name" --all-containers --tail=-1 || true
if kill -0 "$wait_complete" 2>/dev/null; then kill "$wait_complete"; echo "$name failed" >&2; exit 1; fi
kill "$wait_failed" 2>/dev/null || true
