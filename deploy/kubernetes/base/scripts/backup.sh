#!/bin/bash
# The backup Job: each site's database dump (and, with WITH_FILES=1, its public and private
# files) into sites/<site>/private/backups/, named by the time as Frappe names them. Each run
# writes new files, so it may run any number of times.
set -eu
/opt/sharpbench/wait-for-config.sh
stamp=$(date -u +%Y%m%d_%H%M%S)
common=sites/common_site_config.json
for cfg in $(find sites -mindepth 2 -maxdepth 2 -name site_config.json | sort); do
  dir=$(dirname "$cfg"); site=$(basename "$dir")
  [ -n "${SITE_NAME:-}" ] && [ "$SITE_NAME" != all ] && [ "$SITE_NAME" != "$site" ] && continue
  get() { jq -r --arg k "$1" '.[$k] // empty' "$cfg"; }
  host=$(get db_host); [ -n "$host" ] || host=$(jq -r '.db_host // empty' "$common")
  port=$(get db_port); [ -n "$port" ] || port=$(jq -r '.db_port // empty' "$common")
  name=$(get db_name); user=$(get db_user); [ -n "$user" ] || user=$name
  mkdir -p "$dir/private/backups"
  out="$dir/private/backups/${stamp}-${site//./_}-database.sql.gz"
  if [ "$(get db_type)" = postgres ]; then
    PGPASSWORD=$(get db_password) pg_dump -h "$host" -p "${port:-5432}" -U "$user" "$name" | gzip > "$out"
  else
    MYSQL_PWD=$(get db_password) mariadb-dump -h "$host" -P "${port:-3306}" -u "$user" --single-transaction --quick "$name" | gzip > "$out"
  fi
  if [ "${WITH_FILES:-0}" = 1 ]; then
    tar -C "$dir/public" -czf "$dir/private/backups/${stamp}-${site//./_}-files.tar" files 2>/dev/null || true
    tar -C "$dir/private" --exclude backups -czf "$dir/private/backups/${stamp}-${site//./_}-private-files.tar" files 2>/dev/null || true
  fi
  echo "backup: $site -> $out"
done
