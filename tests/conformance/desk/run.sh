#!/usr/bin/env bash
# Desk end-to-end: playwright-core drives Debian's chromium (no browser download) against
# `bench start` on a throwaway bench whose desk `bench build` compiled. Screenshots of each page
# go to a temporary folder, printed as "# screenshots: <dir>". Prints
# "N passed, N failed[, N skipped]" last; exit status 1 when anything failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
chromium="${SB_CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x $chromium ]]; then
  echo "chromium is missing ($chromium): apt-get install chromium"
  echo "0 passed, 1 failed"
  exit 1
fi
npm ci --no-audit --no-fund --silent >/dev/null
"$here/../../../bench" --help >/dev/null   # build bench once, before the suite times its start-up
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
status=0
node --test --test-concurrency=1 --test-reporter=tap test/ | tee "$out" || status=$?
passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$out" | tail -1)
failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$out" | tail -1)
skipped=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$out" | tail -1)
[[ -n $passed && -n $failed ]] || { passed=0; failed=$((${failed:-0} + 1)); status=1; }
summary="$passed passed, $failed failed"
[[ ${skipped:-0} -gt 0 ]] && summary="$summary, $skipped skipped"
echo "$summary"
exit $status
