#!/usr/bin/env bash
# The one test command: installs what the tests need (Debian packages, npm packages), starts
# throwaway MariaDB, PostgreSQL and Redis on loopback (reusing any already up), and runs
# every suite (xunit, then each conformance suite under tests/conformance). Prints one summary
# line at the end:
#   N passed, N failed[, N skipped]
# Extra arguments go to `dotnet test` (e.g. --filter Sites) and then only xunit runs (set
# SB_CONFORMANCE=1 to run the conformance suites after it anyway). The servers are left running for
# the next run; `tests/services/stop.sh` stops them. SB_SERVICES_DIR picks their folder.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
if ! "$here/tests/services/install.sh"; then
  echo "installing the test prerequisites failed"
  echo "0 passed, 1 failed"
  exit 1
fi
if ! "$here/tests/services/start.sh" >/dev/null; then
  echo "starting the test services failed"
  echo "0 passed, 1 failed"
  exit 1
fi
# shellcheck disable=SC1091
source "${SB_SERVICES_DIR:-/tmp/sharpbench-services}/env.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The realtime heartbeat case waits out a full ping cycle (about 50 s); the full run includes it.
export RT_SLOW=${RT_SLOW:-1}

passed=0 failed=0 skipped=0
results="$here/TestResults"
rm -rf "$results"
mkdir -p "$results"

# The fault experiments (tests/faults/README.md) append their counts here; printed after xunit.
export FAULTS_REPORT="$results/faults.txt"
echo "== xunit (tests/SharpBench.Tests)"
dotnet test "$here/tests/SharpBench.Tests/SharpBench.Tests.csproj" -c Release --nologo \
  --logger "trx;LogFileName=xunit.trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" "$@"
xunit_rc=$?
[ -s "$FAULTS_REPORT" ] && { echo "== fault suite counts"; cat "$FAULTS_REPORT"; }
trx="$results/xunit.trx"
if [ -f "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  p=$(count passed); f=$(count failed); t=$(count total); e=$(count executed)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${t:-0} - ${e:-0}))
  # A crashed test host can leave failures out of the counters; count it as one failure.
  if [ "$xunit_rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
else
  echo "xunit produced no results (build failed?)"
  failed=$((failed + 1))
fi

# Each conformance suite is a run.sh that installs its npm packages, runs, and prints
# "N passed, N failed[, N skipped]" as its last line. A filtered run (arguments for dotnet test)
# is someone checking a few tests: the suites (twenty minutes, images and a swarm) would bury it.
suites=$(find "$here/tests/conformance" -name run.sh -not -path '*/node_modules/*' 2>/dev/null | sort)
if [ $# -gt 0 ] && [ "${SB_CONFORMANCE:-0}" != 1 ]; then
  echo "== conformance suites not run (arguments given to dotnet test; SB_CONFORMANCE=1 runs them)"
  suites=
fi
while IFS= read -r suite; do
  [ -n "$suite" ] || continue
  echo "== conformance: ${suite#"$here"/}"
  out="$results/$(echo "${suite#"$here"/}" | tr '/' '_').log"
  # </dev/null: a suite that reads stdin (docker compose exec, say) would eat the list of suites.
  bash "$suite" </dev/null 2>&1 | tee "$out"
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
  if [ -z "$line" ]; then
    echo "(no summary line from $suite: counted as one failure)"
    failed=$((failed + 1))
    continue
  fi
  p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
  f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
  s=$(echo "$line" | grep -oE '[0-9]+ skipped' | grep -oE '[0-9]+' || true)
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
done <<<"$suites"

# CI shows only the tail of this output, so name every failure here, next to the count.
if [ "$failed" -gt 0 ]; then
  echo "== failures"
  if [ -f "$trx" ]; then
    grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" |
      sed -E 's/.* testName="([^"]*)".*/xunit: \1/' | head -20
  fi
  for log in "$results"/*.log; do
    [ -f "$log" ] || continue
    grep -E '^[[:space:]]*not ok' "$log" | sed -E "s/^[[:space:]]*/$(basename "$log" .log): /" | head -10
  done
fi
# A copy outside the checkout, which CI deletes, so a failure can still be read afterwards.
last="${TMPDIR:-/tmp}/sharpbench-last-results"
rm -rf "$last" && cp -r "$results" "$last" 2>/dev/null || true

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
