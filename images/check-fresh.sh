#!/usr/bin/env bash
# Proves that images/build-local.sh builds everything from nothing, as on a machine whose engine
# has no image at all, without touching this machine's images: every stand-in and the image are
# built under a throwaway prefix (STAND_IN_PREFIX), so none of the existing tags is reused or
# overwritten. Then the image runs `bench --version` and each service stand-in must pass its
# compose healthcheck. Every tag it made is removed at the end. Takes 5-10 minutes (debootstrap,
# the Debian packages of each stand-in, a cold publish); needs root and the engine.
# Usage: images/check-fresh.sh      (last line: "fresh build: ok ..." or the failing step)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix=sbfresh$$/
made() { docker image ls --format '{{.Repository}}:{{.Tag}}' | grep "^${prefix}" || true; }
cleanup() {
  docker rm -f "${containers[@]}" >/dev/null 2>&1 || true
  made | xargs -r docker rmi -f >/dev/null 2>&1 || true
}
containers=()
trap cleanup EXIT
start=$SECONDS
STAND_IN_PREFIX=$prefix "$here/build-local.sh" >/dev/null
echo "built from nothing in $((SECONDS - start)) s:"
made | while read -r tag; do echo "  $tag $(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}')"; done
docker run --rm --entrypoint bench "${prefix}sharpbench:latest" --version

# Each service stand-in comes up with the variables the overrides pass and passes their healthcheck.
healthy() {  # NAME IMAGE HEALTHCHECK... -- RUN ARGS...
  local name=$1 image=$2 check=() deadline
  shift 2
  while [ "$1" != -- ]; do check+=("$1"); shift; done
  shift
  containers+=("$(docker run -d "$@" "$image")")
  deadline=$((SECONDS + 90))
  until docker exec "${containers[-1]}" "${check[@]}" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "$name: not healthy within 90 s"; docker logs --tail 20 "${containers[-1]}"; return 1; }
    sleep 1
  done
  echo "$name: healthy"
}
healthy mariadb "${prefix}mariadb:11.8" healthcheck.sh --connect --innodb_initialized -- -e MARIADB_ROOT_PASSWORD=123
healthy postgres "${prefix}postgres:15.17" pg_isready -U postgres -- -e POSTGRES_PASSWORD=123
healthy redis "${prefix}redis:8.6-alpine" redis-cli ping --
echo "fresh build: ok in $((SECONDS - start)) s"
