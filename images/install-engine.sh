#!/usr/bin/env bash
# Installs and starts a Docker engine with compose v2 and buildx on Debian 12, idempotently:
# Debian's docker.io (engine, BuildKit), debootstrap (for images/build-local.sh), and Debian 13's
# docker-compose and docker-buildx packages, which need only libc6 >= 2.34 and so install on 12.
# The trixie .debs come from the mirror apt already uses (read from /etc/apt/sources.list*), so a
# site with its own mirror needs nothing else. Run as root. CI calls it; so can you.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "install-engine.sh: run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-engine: apt-get install ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Debian mirror apt uses: the first URIs:/deb line naming a "debian" archive (not -security).
mirror() {
  local m
  m=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list 2>/dev/null \
    | sed -E 's/^URIs:[[:space:]]*//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//' | tr ' ' '\n' \
    | grep -E '^https?://' | grep -v security | head -1)
  [ -n "$m" ] || { echo "install-engine: no Debian mirror found in /etc/apt/sources.list*" >&2; exit 1; }
  echo "${m%/}"
}

# Latest amd64/arm64 .deb of a trixie package, found through the mirror's Packages index.
install_trixie_deb() {
  local pkg=$1 arch m idx file tmp
  arch=$(dpkg --print-architecture)
  m=$(mirror)
  tmp=$(mktemp -d)
  idx="$tmp/Packages"
  curl -fsSL "$m/dists/trixie/main/binary-$arch/Packages.xz" | xz -dc >"$idx"
  file=$(awk -v p="$pkg" '$1=="Package:"{hit=($2==p)} hit&&$1=="Filename:"{print $2; exit}' "$idx")
  [ -n "$file" ] || { echo "install-engine: $pkg not in trixie on $m" >&2; exit 1; }
  echo "install-engine: $pkg from $m/$file"
  curl -fsSL -o "$tmp/$pkg.deb" "$m/$file"
  dpkg -i "$tmp/$pkg.deb" >/dev/null
  rm -rf "$tmp"
}

# Docker's CLI looks for plugins in these folders; Debian's packages use /usr/libexec.
has_plugin() { docker "$1" version >/dev/null 2>&1; }
has_plugin compose || install_trixie_deb docker-compose
has_plugin buildx || install_trixie_deb docker-buildx

if ! docker info >/dev/null 2>&1; then
  echo "install-engine: starting dockerd (log: /var/log/dockerd.log)"
  # Only stdin/out/err go to the daemon: a caller's open descriptors (a test suite's
  # flock on /tmp/sb-cpu.lock, say) would otherwise be held by dockerd for its whole life,
  # and the next suite waiting on that lock would wait forever (CI timed out that way).
  (
    for fd in /proc/$BASHPID/fd/*; do
      n=${fd##*/}
      [ "$n" -gt 2 ] && eval "exec $n>&-"
    done
    exec setsid dockerd >/var/log/dockerd.log 2>&1 </dev/null
  ) &
  for _ in $(seq 1 100); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
  docker info >/dev/null 2>&1 || { tail -20 /var/log/dockerd.log >&2; echo "install-engine: dockerd did not start" >&2; exit 1; }
fi
echo "install-engine: $(docker version --format 'engine {{.Server.Version}}') $(docker compose version --short 2>/dev/null | sed 's/^/compose /') $(docker buildx version 2>/dev/null | awk '{print "buildx", $2}')"
