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
# Background roles start with the runtime's default tiering delay (100 ms). bench is built with
# CallCountingDelayMs=0, which suits the web roles under sustained load (src/SharpBench.Cli's
# csproj), but at start it recompiles hundreds of methods that are hot only while starting
# (560 in serve, 890 in socketio; 0.5 s of CPU in socketio), while every role of a stack starts
# at once on the same cores and must be healthy within 5 s (images/README.md, "Healthchecks").
# An explicit value is kept.
if [[ "${1:-}" == bench && ("${2:-}" == worker || "${2:-}" == schedule) ]]; then
  export DOTNET_TC_CallCountingDelayMs=${DOTNET_TC_CallCountingDelayMs:-100}
fi
exec "$@"
