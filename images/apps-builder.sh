#!/bin/sh
# The builder step of images/custom and images/layered, shared so both run the same thing:
#
#   apps-builder.sh prepare          git for get-app (a minimal SDK image may lack it)
#   apps-builder.sh init BENCH_EXE   bench init [--apps_path] into /home/frappe/frappe-bench
#
# `init` is `bench init --apps_path` itself, the code a native bench runs: it clones each entry
# of the apps_json secret (mounted at $APPS_JSON for that one RUN), compiles it against the feed
# beside BENCH_EXE and copies its public/ to sites/assets/<app>. Tokens in URLs are never printed
# and the clones' remotes keep none; the .git folders and build intermediates are dropped too.
# Without the secret (or with an empty file) the bench has the core app only.
set -eu
APPS_JSON=${APPS_JSON:-/opt/frappe/apps.json}
BENCH_DIR=${BENCH_DIR:-/home/frappe/frappe-bench}

case "${1:-}" in
  prepare)
    command -v git >/dev/null \
      || { apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*; }
    ;;
  init)
    bench=${2:?usage: apps-builder.sh init BENCH_EXE}
    if [ -s "$APPS_JSON" ]; then
      "$bench" init --apps_path "$APPS_JSON" "$BENCH_DIR"
    else
      echo "no apps_json secret: a bench with the core app only"
      "$bench" init "$BENCH_DIR"
    fi
    cd "$BENCH_DIR"
    rm -rf apps/*/.git apps/*/obj
    echo '{}' >sites/common_site_config.json
    ;;
  *)
    echo "usage: apps-builder.sh prepare | init BENCH_EXE" >&2
    exit 2
    ;;
esac
