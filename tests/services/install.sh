#!/usr/bin/env bash
# Install what SharpBench's tests need on a Debian 12 machine, and nothing if it is all
# there already (so repeated CI runs cost a few dpkg look-ups).
#
# Machines are not kept between sessions, so everything the tests rely on must be
# installed from here, not by hand.
set -euo pipefail

log() { echo "[install] $*" >&2; }

# Servers that tests/services/start.sh runs (as private instances, never the system
# services), their clients, and the load/benchmark tools and compose used by stack tests.
PACKAGES=(
    mariadb-server mariadb-client   # MariaDB, Frappe's default database
    postgresql                      # PostgreSQL (pulls the current major, 15 on Debian 12)
    redis-server redis-tools        # redis_queue / redis_cache, redis-cli
    nginx                           # the frontend role
    wrk hyperfine                   # HTTP load and command benchmarks
    curl jq                         # the README's API examples (tests/conformance/readme)
    docker-compose                  # compose-file checks (the daemon itself is not needed)
    chromium                        # the desk's end-to-end suite (playwright-core drives it; no browser download)
    gpg restic                      # encrypted backups (gpg -c, as Frappe) and the offsite restic flow
)

missing=()
for pkg in "${PACKAGES[@]}"; do
    # dpkg-query rather than `command -v`: several packages ship no binary of their name.
    if [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]})); then
    if ((EUID != 0)); then
        log "ERROR: missing packages (${missing[*]}) and not root; run as root"
        exit 1
    fi
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive

    # The packages' maintainer scripts would start the *system* MariaDB/PostgreSQL/Redis/
    # nginx (ports 3306/5432/6379/80). We never use those; block them for the duration of
    # the install unless the machine already has a policy (containers usually do).
    policy=/usr/sbin/policy-rc.d
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\n# temporary, from SharpBench tests/services/install.sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        trap 'rm -f "$policy"' EXIT
    fi

    # Lock timeout: another apt (e.g. a background install) may be running; wait for it.
    apt_opts=(-y -q -o DPkg::Lock::Timeout=600)
    apt-get "${apt_opts[@]}" update   # once: package lists may be missing or stale
    # No recommends: docker-compose alone would pull in the whole docker.io daemon.
    apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}"
else
    log "Debian packages: all present"
fi

# Node packages (frappe-js-sdk, socket.io-client, ...) are installed by each conformance
# suite's own run.sh from its package-lock.json, so a suite stays runnable on its own.
