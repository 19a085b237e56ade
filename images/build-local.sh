#!/usr/bin/env bash
# Builds sharpbench/sharpbench:latest (compose.yaml's default image) on a machine that reaches a
# Debian mirror and NuGet but no image registry, and first the stand-ins for the public images
# the Containerfile and the compose files name, built from Debian packages and tagged with the
# public names, so every file stays the one users run:
#
#   debian:bookworm-slim                debootstrap minbase, flattened, slim dpkg/apt settings
#   mcr.microsoft.com/dotnet/sdk:10.0   the base plus this host's .NET SDK and CA bundle
#   node:20-bookworm-slim               the base plus this host's node, npm and CA bundle (the desk's build stage)
#   mariadb:11.8                        Debian's mariadb-server (10.11) + entrypoint + healthcheck.sh
#   postgres:15.17                      Debian's postgresql-15 + entrypoint (pg_isready on PATH)
#   redis:8.6-alpine  redis:6.2-alpine  Debian's redis-server (7.0) + entrypoint (redis-cli)
#
# (the versions frappe_docker's overrides and pwd.yml use). Each stand-in is built once per
# machine: a tag that exists already, stand-in or a really pulled image, is never rebuilt or
# overwritten. Our image is built with `docker buildx bake` (incremental: BuildKit reuses every
# layer whose inputs did not change).
#
# Usage: images/build-local.sh [--stand-ins-only] [bake target or --set options...]
# Needs a running engine with buildx (images/install-engine.sh) and, for the first run, root
# (debootstrap) and about 2 minutes.
#
# STAND_IN_PREFIX=NAME/ puts every tag above under NAME/ (NAME/debian:bookworm-slim, ...) and the
# image at NAME/sharpbench:latest, built from those: the path of a machine that has none of them,
# without touching the tags this machine has (images/check-fresh.sh uses it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
stand_ins="$here/stand-ins"

p=${STAND_IN_PREFIX:-}
BASE=${p}debian:bookworm-slim
SDK=${p}mcr.microsoft.com/dotnet/sdk:10.0
NODE=${p}node:20-bookworm-slim
MARIADB_TAGS=("${p}mariadb:11.8")
POSTGRES_TAGS=("${p}postgres:15.17")
REDIS_TAGS=("${p}redis:8.6-alpine" "${p}redis:6.2-alpine")

log() { echo "build-local: $*" >&2; }
exists() { docker image inspect "$1" >/dev/null 2>&1; }

mirror() {
  local m
  m=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list 2>/dev/null \
    | sed -E 's/^URIs:[[:space:]]*//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//' | tr ' ' '\n' \
    | grep -E '^https?://' | grep -v security | head -1)
  [ -n "$m" ] || { log "no Debian mirror found in /etc/apt/sources.list*"; exit 1; }
  echo "${m%/}"
}

# Tags an image id with every name in "$@" that does not exist yet.
tag_missing() {
  local id=$1; shift
  for name in "$@"; do exists "$name" || docker tag "$id" "$name"; done
}

build_base() {
  exists "$BASE" && return
  command -v debootstrap >/dev/null || { log "debootstrap is missing (images/install-engine.sh installs it)"; exit 1; }
  local root m
  m=$(mirror)
  root=$(mktemp -d /var/tmp/sb-rootfs.XXXXXX)
  log "$BASE: debootstrap bookworm from $m (about a minute)"
  debootstrap --variant=minbase bookworm "$root" "$m" >"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
  # Apt inside the image uses the same sources as this host (a local mirror keeps working).
  rm -f "$root/etc/apt/sources.list"
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] && cp "$f" "$root$f"
  done
  install -m 644 "$stand_ins/debian/dpkg-slim.cfg" "$root/etc/dpkg/dpkg.cfg.d/docker-slim"
  install -m 644 "$stand_ins/debian/apt-slim.conf" "$root/etc/apt/apt.conf.d/docker-slim"
  rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
    "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* "$root"/var/log/*.log "$root"/tmp/*
  tar -C "$root" -c . | docker import -c 'CMD ["bash"]' - "$BASE" >/dev/null
  rm -rf "$root" "$root.log"
  log "$BASE: $(docker image inspect -f '{{.Size}}' "$BASE" | awk '{printf "%.0f MB", $1/1e6}')"
}

build_sdk() {
  exists "$SDK" && return
  local ctx dotnet
  dotnet=$(dirname "$(readlink -f "$(command -v dotnet)")")
  ctx=$(mktemp -d /var/tmp/sb-sdk.XXXXXX)
  # Hard links: the build context costs no copy of the 600 MB SDK folder.
  cp -al "$dotnet" "$ctx/dotnet" 2>/dev/null || cp -a "$dotnet" "$ctx/dotnet"
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/"
  cp "$stand_ins/sdk/Containerfile" "$ctx/"
  log "$SDK: $BASE + $dotnet"
  docker buildx build --load -q -f "$ctx/Containerfile" --build-arg BASE_IMAGE="$BASE" \
    --build-arg NUGET_CERT_REVOCATION_MODE="${NUGET_CERT_REVOCATION_MODE:-online}" -t "$SDK" "$ctx" >/dev/null
  rm -rf "$ctx"
}

build_node() {
  exists "$NODE" && return
  local ctx node npm
  node=$(readlink -f "$(command -v node 2>/dev/null)" 2>/dev/null) || true
  npm=$(dirname "$(dirname "$(readlink -f "$(command -v npm 2>/dev/null)" 2>/dev/null)")" 2>/dev/null) || true
  [ -x "$node" ] && [ -f "$npm/package.json" ] || { log "node and npm are needed on this host to stand in for $NODE (the desk's build stage)"; exit 1; }
  ctx=$(mktemp -d /var/tmp/sb-node.XXXXXX)
  cp "$node" "$ctx/node"
  cp -a "$npm" "$ctx/npm"
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/"
  cp "$stand_ins/node/Containerfile" "$ctx/"
  log "$NODE: $BASE + $node ($("$node" --version))"
  docker buildx build --load -q -f "$ctx/Containerfile" --build-arg BASE_IMAGE="$BASE" -t "$NODE" "$ctx" >/dev/null
  rm -rf "$ctx"
}

# A service stand-in from images/stand-ins/<dir>, tagged with each missing public name.
build_service() {
  local dir=$1; shift
  local missing=()
  for name in "$@"; do exists "$name" || missing+=("$name"); done
  [ ${#missing[@]} -gt 0 ] || return 0
  log "${missing[*]}: from $BASE + Debian packages"
  local tmp=sharpbench-stand-in/$dir:build
  docker buildx build --load -q -f "$stand_ins/$dir/Containerfile" --build-arg BASE_IMAGE="$BASE" -t "$tmp" "$stand_ins/$dir" >/dev/null
  tag_missing "$tmp" "${missing[@]}"
  docker rmi "$tmp" >/dev/null
}

stand_ins_only=
if [ "${1:-}" = --stand-ins-only ]; then stand_ins_only=1; shift; fi

start=$SECONDS
build_base
build_sdk
build_node
build_service mariadb "${MARIADB_TAGS[@]}"
build_service postgres "${POSTGRES_TAGS[@]}"
build_service redis "${REDIS_TAGS[@]}"
[ -n "$stand_ins_only" ] && { log "stand-ins ready ($((SECONDS - start)) s)"; exit 0; }

image=sharpbench/sharpbench:latest
if [ -n "$p" ]; then
  # docker-bake.hcl's variables, from the environment: the prefixed bases and tag.
  export BASE_IMAGE=$BASE SDK_IMAGE=$SDK NODE_IMAGE=$NODE REGISTRY_USER=${p%/}
  image=${p%/}/sharpbench:latest
fi
log "$image: docker buildx bake"
cd "$repo"
docker buildx bake -f docker-bake.hcl --load "$@"
log "done in $((SECONDS - start)) s: $(docker image inspect -f '{{.Size}}' "$image" | awk -v i="$image" '{printf "%s %.0f MB", i, $1/1e6}')"
