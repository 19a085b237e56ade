#!/usr/bin/env bash
# Rewrites src/SharpBench/PublicAPI.Unshipped.txt with every public symbol the analyzer finds
# missing from PublicAPI.Shipped.txt (RS0016), e.g. after a merge that added public API. Review
# the diff: each line is a promise to apps. Removed symbols (RS0017) must be taken out by hand.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
api="$here/src/SharpBench"
log="$(mktemp)"
printf '#nullable enable\n' > "$api/PublicAPI.Unshipped.txt"
dotnet build "$api" -c Release --no-incremental > "$log" 2>&1 || true
{
  printf '#nullable enable\n'
  grep -o "RS0016: Symbol '.*' is not part of the declared public API" "$log" \
    | sed -e "s/^RS0016: Symbol '//" -e "s/' is not part of the declared public API$//" | sort -u
} > "$api/PublicAPI.Unshipped.txt"
grep -E "error RS00(17|26|27)" "$log" | sed 's/ \[.*//' | sort -u || true
rm -f "$log"
