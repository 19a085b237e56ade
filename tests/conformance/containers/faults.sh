# Faults at start-up: a configurator that cannot do its job stops every app service from
# starting and says why in its log; a required variable left out is refused before anything
# starts. (Restarts and a killed worker are checked on the MariaDB stack.) Sourced by run.sh.

# configurator_blocks EXPECTED_LOG_TEXT: `up` fails, no app service ever started, and the
# configurator's log holds the reason.
configurator_blocks() {
  local expected=$1 out svc state
  if out=$(dc up -d --wait --wait-timeout 90 2>&1); then
    echo "up succeeded although the configurator should have failed"
    return 1
  fi
  for svc in backend frontend websocket queue-short queue-long scheduler; do
    state=$(docker inspect -f '{{.State.Status}} {{.State.StartedAt}}' "$(dc ps -aq "$svc")" 2>/dev/null)
    case "$state" in
      created*|"") ;;
      *) echo "$svc was started ($state) although the configurator failed"; return 1 ;;
    esac
  done
  out=$(dc logs --no-color configurator 2>&1)
  grep -qF -- "$expected" <<<"$out" || { echo "configurator log lacks '$expected':"; echo "$out" | tail -5; return 1; }
  grep -F "configurator:" <<<"$out" | tail -1
}

# The configurator of the image as built (only the core app in apps/) writes what frappe_docker's
# does: numbers for db_port and socketio_port, redis URLs, redis_socketio = redis_queue, apps.txt.
configurator_writes() {
  dc run --rm configurator >"$work/configurator.log" 2>&1 || { tail -5 "$work/configurator.log"; return 1; }
  local cfg apps
  cfg=$(dc run --rm --no-deps --entrypoint cat configurator sites/common_site_config.json) || return 1
  apps=$(dc run --rm --no-deps --entrypoint cat configurator sites/apps.txt) || return 1
  jq -e '.db_host == "db" and .db_port == 3306 and .socketio_port == 9000 and .redis_cache == "redis://redis-cache:6379"
    and .redis_queue == "redis://redis-queue:6379" and .redis_socketio == .redis_queue' <<<"$cfg" >/dev/null \
    || { echo "common_site_config.json: $cfg"; return 1; }
  [ "$apps" = frappe ] || { echo "apps.txt: $apps"; return 1; }
  echo "$cfg" | jq -c .
}

run_fault_checks() {
  local port
  port=$(free_port)
  use_project sbct-configurator "$(env_with "$work/example.env" "HTTP_PUBLISH_PORT=$port")" "$port" \
    compose.yaml overrides/compose.mariadb.yaml overrides/compose.redis.yaml overrides/compose.noproxy.yaml
  dc down -v --remove-orphans >/dev/null 2>&1
  check "configurator: db_port and socketio_port as numbers, redis URLs, apps.txt (image as built)" configurator_writes
  dc down -v --remove-orphans >/dev/null 2>&1

  # A database host that does not exist (an external DB_HOST typed wrong).
  use_project sbct-fault "$(stack_env fault "$port" DB_HOST=db.invalid DB_PORT=3306 CONFIGURATOR_WAIT=4)" "$port" \
    compose.yaml overrides/compose.redis.yaml overrides/compose.noproxy.yaml
  dc down -v --remove-orphans >/dev/null 2>&1
  check "configurator: unreachable database stops the app services, reason in its log" \
    configurator_blocks "cannot reach database at db.invalid:3306"
  dc down -v --remove-orphans >/dev/null 2>&1
  # No database at all: neither a database override nor DB_HOST.
  use_project sbct-fault "$(stack_env fault "$port")" "$port" \
    compose.yaml overrides/compose.redis.yaml overrides/compose.noproxy.yaml
  check "configurator: no DB_HOST stops the app services, reason in its log" \
    configurator_blocks "DB_HOST is empty"
  dc down -v --remove-orphans >/dev/null 2>&1

  # A required variable left out: compose refuses before creating anything.
  use_project sbct-fault "$(env_without "$work/example.env" SITES_RULE)" "$port" \
    compose.yaml overrides/compose.mariadb.yaml overrides/compose.redis.yaml overrides/compose.https.yaml
  check "compose up refuses a missing SITES_RULE and starts nothing" required_variable_refused
  dc down -v --remove-orphans >/dev/null 2>&1
}

required_variable_refused() {
  local out
  if out=$(dc up -d 2>&1); then
    echo "up succeeded without SITES_RULE"
    return 1
  fi
  grep -qF "SITES_RULE not set" <<<"$out" || { echo "refused without naming SITES_RULE: $out"; return 1; }
  [ -z "$(docker ps -aq --filter label=com.docker.compose.project="$P")" ] || { echo "containers were created"; return 1; }
  tail -1 <<<"$out"
}
