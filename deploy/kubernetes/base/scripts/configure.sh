#!/bin/bash
# The configure Job (compose.yaml's configurator): the database and Redis coordinates into
# sites/common_site_config.json, sites/apps.txt from the image's apps, and COMMON_CONFIG's keys.
# Re-running it rewrites the same values.
set -u
fail() { echo "configure: $1" >&2; exit 1; }
endpoint() { local a=${1#*://}; a=${a##*@}; a=${a%%/*}; echo "${a%:*} ${a##*:}"; }
reach() {
  local deadline=$((SECONDS + ${CONFIGURATOR_WAIT:-120}))
  until timeout 3 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || fail "cannot reach $1 at $2:$3"
    sleep 1
  done
}
[ -n "${DB_HOST:-}" ] || fail "DB_HOST is empty (ConfigMap sharpbench-config)"
case "${DB_PORT:-}" in ''|*[!0-9]*) fail "DB_PORT must be a port number, got '${DB_PORT:-}'" ;; esac
[ -n "${REDIS_CACHE:-}" ] && [ -n "${REDIS_QUEUE:-}" ] || fail "REDIS_CACHE and REDIS_QUEUE must be set"
url() { case "$1" in redis://*|rediss://*) echo "$1" ;; *) echo "redis://$1" ;; esac; }
cache=$(url "$REDIS_CACHE"); queue=$(url "$REDIS_QUEUE")
reach database "$DB_HOST" "$DB_PORT"
reach redis_cache $(endpoint "$REDIS_CACHE")
reach redis_queue $(endpoint "$REDIS_QUEUE")
{ echo frappe; ls -1 apps 2>/dev/null | grep -vx frappe || true; } > sites/apps.txt || fail "cannot write sites/apps.txt"
# COMMON_CONFIG first: the roles start as soon as db_host and the Redis keys appear.
config=${COMMON_CONFIG:-'{}'}
echo "$config" | jq -e 'type == "object"' >/dev/null || fail "COMMON_CONFIG must be a JSON object"
echo "$config" | jq -r 'to_entries[] | [.key, (.value | tojson)] | @tsv' |
  while IFS=$'\t' read -r key value; do bench set-config -gp "$key" "$value" || exit 1; done || fail "COMMON_CONFIG: bench set-config failed"
bench set-config -g db_host "$DB_HOST" &&
  bench set-config -gp db_port "$DB_PORT" &&
  bench set-config -g redis_cache "$cache" &&
  bench set-config -g redis_queue "$queue" &&
  bench set-config -g redis_socketio "$queue" &&
  bench set-config -gp socketio_port 9000 || fail "bench set-config failed"
echo "configure: db $DB_HOST:$DB_PORT, redis_cache $cache, redis_queue $queue"
