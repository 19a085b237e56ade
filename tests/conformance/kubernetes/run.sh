#!/usr/bin/env bash
# deploy/kubernetes, offline: installs the locked npm packages (Kubernetes, Gateway API and KEDA
# schema models), renders every overlay and Job with `kubectl kustomize` and checks them
# (test/manifests.test.js). Ends with "N passed, N failed[, N skipped]". Without kubectl (with
# kustomize built in) every check is skipped.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if ! command -v "${KUBECTL:-kubectl}" >/dev/null || ! "${KUBECTL:-kubectl}" kustomize --help >/dev/null 2>&1; then
  echo "kubectl with kustomize is not installed: the Kubernetes manifests are not checked"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error >/dev/null || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
out=$(node --test --test-reporter=tap test/ 2>&1)
echo "$out" | grep -E '^(not )?ok |^# (pass|fail)|^ *(error|message|expected|actual):' 
p=$(echo "$out" | sed -n 's/^# pass \([0-9]*\)$/\1/p' | tail -1)
f=$(echo "$out" | sed -n 's/^# fail \([0-9]*\)$/\1/p' | tail -1)
if [[ -z $p || -z $f ]]; then
  echo "$out" | tail -40
  f=$((${f:-0} + 1))
fi
echo "${p:-0} passed, ${f:-0} failed"
[[ ${f:-0} -eq 0 ]]
