#!/usr/bin/env bash
# README examples: runs the REST API section's commands as written (check.mjs) against a fresh
# bench and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
node check.mjs
