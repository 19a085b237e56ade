#!/usr/bin/env bash
# The container suite, on a real Docker engine: installs and starts the engine
# (images/install-engine.sh), builds the image and the public-image stand-ins
# (images/build-local.sh), then checks compose.yaml, the overrides, pwd.yml and example.env as
# users run them: `docker compose config` for every documented combination, a MariaDB stack and
# a PostgreSQL stack checked through the frontend's published port (frappe_docker's own checks),
# the demo from nothing, and faults (restarts, a killed worker, an unreachable database, a missing
# variable). Every project it starts is removed at the end.
# Prints "N passed, N failed" last; exit status 1 when anything failed. Needs root (the engine).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cd "$repo"

# shellcheck source=../cpu-lock.sh
source "$here/../cpu-lock.sh"
take_cpu_lock SB_CT_LOCKED "$0" "$@"

# shellcheck source=lib.sh
source "$here/lib.sh"
work=$(mktemp -d /tmp/sb-containers.XXXXXX)
finish() {
  remove_projects
  [ -f "$work/http.pid" ] && kill "$(cat "$work/http.pid")" 2>/dev/null
  rm -rf "$work"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

summary() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

IMAGE=sharpbench/sharpbench:latest
TEST_IMAGE=sharpbench-stack-check:test

# ------------------------------------------------------------------ engine, images, test app
setup_engine() {
  if [ "$(id -u)" != 0 ] && ! docker info >/dev/null 2>&1; then
    echo "needs root to install and start the engine (or a running engine)"
    return 1
  fi
  if [ "$(id -u)" = 0 ]; then images/install-engine.sh >"$work/engine.log" 2>&1 || { tail -20 "$work/engine.log"; return 1; }; fi
  tail -1 "$work/engine.log" 2>/dev/null
}
build_images() {
  images/build-local.sh >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; return 1; }
  docker image inspect "$IMAGE" >/dev/null || { echo "build-local.sh did not tag $IMAGE"; return 1; }
  echo "$IMAGE: $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}'), built $(docker image inspect -f '{{.Created}}' "$IMAGE" | cut -c1-19)Z"
  echo "build steps cached: $(grep -cE '^#[0-9]+ CACHED' "$work/build.log")"
}
# The stacks run a layered image, as a user adds an app: the image plus tests' sb_stack_check
# (a method enqueueing over the API, a job noting its container, a scheduler event each minute).
build_test_image() {
  local ctx=$work/app
  mkdir -p "$ctx"
  dotnet build "$here/app/sb_stack_check.csproj" -c Release -o "$ctx/out" -nologo -v q >"$ctx/build.log" 2>&1 \
    || { grep -E 'error' "$ctx/build.log" | head -20; return 1; }
  cp "$ctx/out/sb_stack_check.dll" "$ctx/"
  cp "$here/app/Containerfile" "$ctx/"
  docker build -q -f "$ctx/Containerfile" --build-arg "IMAGE=$IMAGE" -t "$TEST_IMAGE" "$ctx" >/dev/null 2>"$ctx/docker.log" \
    || { tail -20 "$ctx/docker.log"; return 1; }
}
npm_install() {
  (cd "$here" && npm ci --no-audit --no-fund --silent) >"$work/npm.log" 2>&1 || { tail -20 "$work/npm.log"; return 1; }
}

# From nothing (every stand-in and the image under throwaway names, 5-10 minutes): opt-in, as
# the run above reuses this machine's stand-ins. SB_CT_FRESH=1 adds it.
fresh_build() {
  images/check-fresh.sh >"$work/fresh.log" 2>&1 || { tail -30 "$work/fresh.log"; return 1; }
  tail -1 "$work/fresh.log"
}

check "engine: images/install-engine.sh" setup_engine || summary
check "images: images/build-local.sh" build_images || summary
[ -n "${SB_CT_FRESH:-}" ] && check "images: images/check-fresh.sh builds every stand-in and the image from nothing" fresh_build
check "test image: the image plus the sb_stack_check app" build_test_image || summary
check "npm ci (socket.io-client)" npm_install || summary
# shellcheck source=apps.sh
source "$here/apps.sh"
# The stacks run images/custom: the test image plus library_management from apps.json.
serve_app_repo || echo "# could not serve the app's repository"
check "custom image: images/custom from an apps.json secret (bench init --apps_path)" build_custom_image
custom_built=$?
check "custom image: the URL's token is in no log line, history entry, label or file" token_nowhere "$CUSTOM_IMAGE_CHECK" "$work/custom-build.log"
check "layered image: images/layered from the same apps.json secret" build_layered_image
check "layered image: the URL's token is in no log line, history entry, label or file" token_nowhere "$LAYERED_IMAGE_CHECK" "$work/layered-build.log"
stop_app_repo
[ "$custom_built" -eq 0 ] && TEST_IMAGE=$CUSTOM_IMAGE_CHECK

source "$here/config.sh"
source "$here/stack.sh"
source "$here/faults.sh"

run_config_checks
run_mariadb_stack
run_postgres_stack
run_pwd
run_fault_checks

summary
