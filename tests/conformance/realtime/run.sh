#!/usr/bin/env bash
# Realtime conformance: the official socket.io-client (4.7.2, as Frappe v15 pins it) against
# `bench socketio` on a throwaway bench (SQLite sites, Redis from SB_REDIS_QUEUE), directly and
# through nginx. Prints "N passed, N failed[, N skipped]" last; exit status 1 when anything failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
[ -f /tmp/sharpbench-services/env.sh ] && source /tmp/sharpbench-services/env.sh
npm ci --no-audit --no-fund --silent >/dev/null
"$here/../../../bench" --help >/dev/null   # build once, before the suites time their start-up
out="$(mktemp)"
# The example app whose job publishes progress (worker.test.js installs it into its bench).
export SB_RT_APP_DIR="$(mktemp -d)"
trap 'rm -rf "$out" "$SB_RT_APP_DIR"' EXIT
dotnet build "$here/../../../apps/jobs_example/jobs_example.csproj" -c Release -o "$SB_RT_APP_DIR" -nologo -v q >"$SB_RT_APP_DIR/build.log" 2>&1 \
  || { cat "$SB_RT_APP_DIR/build.log" >&2; exit 1; }
status=0
node --test --test-concurrency=1 --test-reporter=tap test/ | tee "$out" || status=$?
# node's own totals: a skipped test is an "ok" line too, but it did not pass.
passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$out" | tail -1)
failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$out" | tail -1)
skipped=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$out" | tail -1)
[[ -n $passed && -n $failed ]] || { passed=0; failed=$((${failed:-0} + 1)); status=1; }
summary="$passed passed, $failed failed"
[[ ${skipped:-0} -gt 0 ]] && summary="$summary, $skipped skipped"
echo "$summary"
exit $status
