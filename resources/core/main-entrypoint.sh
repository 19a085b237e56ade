#!/bin/bash
# The image's ENTRYPOINT for every role. The assets belong to the image, not to the sites
# volume: sites/assets is made a link to them again on every start, so after an upgrade no
# container serves the previous image's assets (whatever an old volume held there goes).
set -e
bench_dir=/home/frappe/frappe-bench
if [[ "$(readlink "$bench_dir/sites/assets" 2>/dev/null)" != "$bench_dir/assets" ]]; then
  rm -rf "$bench_dir/sites/assets"
  mkdir -p "$bench_dir/sites"
  ln -s "$bench_dir/assets" "$bench_dir/sites/assets"
fi
# Tiered compilation: every command runs with the runtime's default call-counting delay, and the
# web roles (serve, socketio, start) give themselves no delay at start (src/SharpBench.Cli's
# WebRoleTiering.cs); an explicit DOTNET_TC_CallCountingDelayMs in the environment wins.
exec "$@"
