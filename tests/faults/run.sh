#!/usr/bin/env bash
# The fault suite on its own: the experiments of tests/SharpBench.Tests/Faults plus the focused
# fault tests, against the test services (started as ./test.sh does). Short mode by default;
# FAULTS_SOAK=1 for three rounds at higher rates. Prints every experiment's counts, then
#   N passed, N failed
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$root/tests/services/start.sh" >/dev/null || { echo "starting the test services failed"; echo "0 passed, 1 failed"; exit 1; }
# shellcheck disable=SC1091
source "${SB_SERVICES_DIR:-/tmp/sharpbench-services}/env.sh"
results="$root/TestResults/faults"
rm -rf "$results"
mkdir -p "$results"
export FAULTS_REPORT="$results/faults.txt" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
filter='FullyQualifiedName~SharpBench.Tests.Faults|FullyQualifiedName~RedisOutageTests|FullyQualifiedName~KilledConnectionTests|FullyQualifiedName~ExactlyOnceTests|FullyQualifiedName~QueuePersistenceTests'
dotnet test "$root/tests/SharpBench.Tests/SharpBench.Tests.csproj" -c Release --nologo --filter "$filter" \
  --logger "trx;LogFileName=faults.trx" --logger "console;verbosity=minimal" --results-directory "$results"
rc=$?
[ -s "$FAULTS_REPORT" ] && cat "$FAULTS_REPORT"
counters=$(grep -o '<Counters [^>]*>' "$results/faults.trx" 2>/dev/null | head -1)
count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
p=$(count passed); f=$(count failed)
if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then f=1; fi
echo "${p:-0} passed, ${f:-0} failed"
