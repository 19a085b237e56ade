#!/bin/bash
# The migrate Job: every site in maintenance mode (requests answer 503), `bench migrate`, then
# out of it again, also when the migration fails. Running it twice migrates nothing new.
set -eu
/opt/sharpbench/wait-for-config.sh
exec 9>sites/.setup.lock; flock 9
sites=$(find sites -mindepth 2 -maxdepth 2 -name site_config.json -printf '%h\n' | sed 's|^sites/||' | sort)
[ -n "$sites" ] || { echo "migrate: no sites"; exit 0; }
leave() { for s in $sites; do bench --site "$s" set-config -p maintenance_mode 0 || true; done; }
trap leave EXIT
for s in $sites; do bench --site "$s" set-config -p maintenance_mode 1; done
for s in $sites; do echo "migrate: $s"; bench --site "$s" migrate; done
