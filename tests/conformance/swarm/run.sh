#!/usr/bin/env bash
# The swarm suite, on the test engine made a one-node swarm (`docker swarm init` when it is not
# one already; left as it was found): deploys deploy/swarm/sharpbench.yaml with services.yaml
# and the local image (the image plus the tests' sb_stack_check app, no registry:
# --resolve-image never), then checks what a cluster promises: the site answers through the
# frontend; 2,000 jobs finish exactly once while worker tasks are killed; killing the scheduler
# leader's task moves the leadership within the lease with no double run; `docker service update
# --image` rolls the backend with zero failed requests under load; scaling queue-short 1 -> 4
# raises the drain rate. The stack, its volumes and networks are removed at the end.
# Prints "N passed, N failed" last; exit status 1 when anything failed. Needs root (the engine).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
containers="$repo/tests/conformance/containers"
cd "$repo"

# On by default (test.sh runs it after the containers suite, whose image it reuses; about 4
# minutes). SB_SWARM=0 skips it, on an engine that must not become a swarm node.
if [ "${SB_SWARM:-1}" = 0 ]; then
  echo "swarm suite not run (SB_SWARM=0): its 10 checks are skipped"
  echo "0 passed, 0 failed, 10 skipped"
  exit 0
fi

# shellcheck source=../cpu-lock.sh
source "$here/../cpu-lock.sh"
take_cpu_lock SB_SWARM_LOCKED "$0" "$@"

# shellcheck source=../containers/lib.sh
source "$containers/lib.sh"
source "$here/swarm.sh"

work=$(mktemp -d /tmp/sb-swarm.XXXXXX)
finish() {
  remove_stack
  leave_swarm
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

# Tags of this suite's own: other suites and engineers rebuild the shared :latest tags meanwhile.
# SB_SWARM_IMAGE names another product image (one built from this checkout under its own tag,
# when the shared :latest is someone else's build).
PRODUCT_IMAGE=${SB_SWARM_IMAGE:-sharpbench/sharpbench:latest}
IMAGE=sharpbench-swarm/sharpbench:test
TEST_IMAGE=sharpbench-swarm/stack-check:test
ROLL_IMAGE=sharpbench-swarm/stack-check:roll

setup_engine() {
  if docker info >/dev/null 2>&1; then return 0; fi
  [ "$(id -u)" = 0 ] || { echo "needs root to install and start the engine (or a running engine)"; return 1; }
  images/install-engine.sh >"$work/engine.log" 2>&1 || { tail -20 "$work/engine.log"; return 1; }
}
# The product image is the one the containers suite built just before (test.sh runs the suites in
# sorted order), copied under this suite's own tag; it is built here only when the engine has none.
build_images() {
  if docker image inspect "$PRODUCT_IMAGE" >/dev/null 2>&1; then
    docker tag "$PRODUCT_IMAGE" "$IMAGE" || return 1
    echo "$IMAGE: $PRODUCT_IMAGE as it is, built $(docker image inspect -f '{{.Created}}' "$IMAGE" | cut -c1-19)Z"
  else
    images/build-local.sh --set "sharpbench.tags=$IMAGE" >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; return 1; }
    echo "$IMAGE: built by images/build-local.sh ($PRODUCT_IMAGE did not exist)"
  fi
  local ctx=$work/app
  mkdir -p "$ctx"
  dotnet build "$containers/app/sb_stack_check.csproj" -c Release -o "$ctx/out" -nologo -v q >"$ctx/build.log" 2>&1 \
    || { grep -E 'error' "$ctx/build.log" | head -20; return 1; }
  cp "$ctx/out/sb_stack_check.dll" "$containers/app/Containerfile" "$ctx/"
  docker build -q -f "$ctx/Containerfile" --build-arg "IMAGE=$IMAGE" -t "$TEST_IMAGE" "$ctx" >/dev/null 2>"$ctx/docker.log" \
    || { tail -20 "$ctx/docker.log"; return 1; }
}

check "engine" setup_engine || summary
check "images: the product image and the sb_stack_check app" build_images || summary
check "swarm: a one-node swarm on the test engine" join_swarm || summary
check "deploy: docker stack deploy, the one-shots complete, the site answers through the frontend" deploy_stack \
  || { skip_checks "the stack did not come up" "jobs under kills" "scheduler leader" "rolling update" "scaling" "scheduler no double run"; summary; }
check "jobs: 2,000 jobs finish exactly once while worker tasks are killed at random" jobs_under_kills
check "scheduler: killing the leader's task moves the leadership within the lease" kill_scheduler_leader
check "rolling update: docker service update --image rolls the backend with zero failed requests" rolling_update
check "scaling: queue-short 1 -> 4 replicas raises the drain rate" scale_queue_short
# Last: the new leader's first tick comes at the next minute, which the checks above waited out.
check "scheduler: one queueing and one run per minute across the takeover (no double run)" scheduler_no_double_run
check "teardown: docker stack rm leaves no service, network or volume" teardown_stack

summary
