#!/usr/bin/env bash
# frappe-js-sdk conformance: installs the locked npm packages, runs the suite against a live
# bench serve on each database in SB_CONFORMANCE_DBS (default "sqlite mariadb"), and ends
# with "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
npm ci --no-audit --no-fund --loglevel=error >/dev/null || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
passed=0
failed=0
skipped=0
for db in ${SB_CONFORMANCE_DBS:-sqlite mariadb}; do
  out=$(SB_CONFORMANCE_DB=$db node --test --test-concurrency=1 --test-reporter=tap test/ 2>&1)
  echo "$out" | grep -E '^# (Subtest|pass|fail)|^not ok|^    not ok|^ *(error|message|expected|actual):' | sed "s/^/[$db] /"
  p=$(echo "$out" | sed -n 's/^# pass \([0-9]*\)$/\1/p' | tail -1)
  f=$(echo "$out" | sed -n 's/^# fail \([0-9]*\)$/\1/p' | tail -1)
  if [[ -z $p || -z $f ]]; then
    echo "$out" | tail -40
    f=$((${f:-0} + 1))
  fi
  s=$(echo "$out" | sed -n 's/^# skipped \([0-9]*\)$/\1/p' | tail -1)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${s:-0}))
done
summary="$passed passed, $failed failed"
[[ $skipped -gt 0 ]] && summary="$summary, $skipped skipped"
echo "$summary"
[[ $failed -eq 0 ]]
