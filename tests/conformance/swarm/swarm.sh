# The swarm suite's steps, sourced by run.sh (after tests/conformance/containers/lib.sh, whose
# check, until_ok, web, login and free_port they use).

STACK=sbswarm
SITE=swarm.localhost
DBPW=swarm-root
# Short timings so the checks wait seconds, not minutes: a dead worker's jobs are reclaimed 5 s
# after its heartbeat expires, the scheduler ticks every 2 s and its lease is 6 s.
LEASE=6
COMMON_CONFIG="{\"worker_reclaim_grace\":5,\"scheduler_tick_interval\":2,\"scheduler_lease\":$LEASE}"
JOBS=2000
SWARM_STARTED_HERE=""
KILL_EPOCH=""

# check (lib.sh) runs each step in a subshell to capture its output, so what a step learns (the
# port, the bench's Redis prefix, whether this run made the swarm) is kept in a file that every
# step reads first.
keep() { printf '%s=%q\n' "$1" "$2" >>"$work/state"; }
recall() { [ -f "$work/state" ] && source "$work/state"; return 0; }

# The running task containers of a service of the stack.
tasks() { docker ps -q --filter "label=com.docker.swarm.service.name=${STACK}_$1"; }
one_task() { tasks "$1" | head -1; }
redis_q() { docker exec "$(one_task redis-queue)" redis-cli "$@"; }
sql() { docker exec "$(one_task db)" mariadb -uroot "-p$DBPW" -N -B -e "$1"; }
epoch_ms() { date +%s%3N; }

# On a failed check: the stack's tasks and the last log lines of each service.
show_logs() {
  echo "# --- docker stack ps $STACK (not running)"
  docker stack ps "$STACK" --filter desired-state=shutdown --format '{{.Name}} {{.CurrentState}} {{.Error}}' 2>&1 | head -20 | sed 's/^/#   /'
  local s
  for s in $(docker stack services "$STACK" --format '{{.Name}}' 2>/dev/null); do
    echo "# --- $s: last 8 lines"
    docker service logs --tail 8 --no-task-ids "$s" 2>&1 | cut -c1-300 | sed 's/^/#   /'
  done
}

join_swarm() {
  local state
  state=$(docker info --format '{{.Swarm.LocalNodeState}}')
  case "$state" in
    active) echo "the engine is a swarm node already (left as it is)" ;;
    inactive)
      docker swarm init --advertise-addr 127.0.0.1 >/dev/null || return 1
      keep SWARM_STARTED_HERE 1
      echo "docker swarm init --advertise-addr 127.0.0.1 (left again at the end)" ;;
    *) echo "swarm state '$state'"; return 1 ;;
  esac
  [ "$(docker info --format '{{.Swarm.ControlAvailable}}')" = true ] || { echo "this node is not a swarm manager"; return 1; }
}

leave_swarm() {
  recall
  [ -n "$SWARM_STARTED_HERE" ] && docker swarm leave --force >/dev/null 2>&1
  return 0
}

# stack_gone: no container, network or volume of the stack is left.
stack_gone() {
  [ -z "$(docker ps -aq --filter "label=com.docker.stack.namespace=$STACK")" ] &&
    [ -z "$(docker network ls -q --filter "label=com.docker.stack.namespace=$STACK")" ]
}

# remove_stack: the EXIT trap's quiet removal (also of a run that was interrupted before).
remove_stack() {
  docker stack rm "$STACK" >/dev/null 2>&1 || true
  local deadline=$((SECONDS + 60))
  until stack_gone || [ $SECONDS -ge $deadline ]; do sleep 1; done
  docker volume ls -q --filter "label=com.docker.stack.namespace=$STACK" | xargs -r docker volume rm >/dev/null 2>&1
  docker image rm "$ROLL_IMAGE" >/dev/null 2>&1
  return 0
}

service_state() { docker service ps "${STACK}_$1" --format '{{.CurrentState}}' 2>/dev/null | head -1; }

# replicas SERVICE: "running/desired", as docker service ls shows them.
replicas() { docker service ls --filter "name=${STACK}_$1" --format '{{.Name}} {{.Replicas}}' | awk -v n="${STACK}_$1" '$1 == n { print $2 }'; }

converged() {
  local s want
  for s in backend:2/2 websocket:2/2 scheduler:2/2 queue-short:2/2 queue-long:1/1 frontend:1/1 db:1/1 redis-queue:1/1 redis-cache:1/1; do
    want=${s#*:}
    [ "$(replicas "${s%%:*}")" = "$want" ] || return 1
  done
}

deploy_stack() {
  remove_stack
  PORT=$(free_port)
  keep PORT "$PORT"
  printf %s "$DBPW" >"$work/db-password"
  printf admin >"$work/admin-password"
  local start=$SECONDS
  CUSTOM_IMAGE=${TEST_IMAGE%:*} CUSTOM_TAG=${TEST_IMAGE##*:} DB_HOST=db DB_PORT=3306 \
    REDIS_CACHE=redis-cache:6379 REDIS_QUEUE=redis-queue:6379 SITE_NAME=$SITE INSTALL_APPS=sb_stack_check \
    DB_PASSWORD_FILE=$work/db-password ADMIN_PASSWORD_FILE=$work/admin-password \
    HTTP_PUBLISH_PORT=$PORT COMMON_CONFIG=$COMMON_CONFIG CONFIGURATOR_WAIT=600 \
    docker stack deploy --resolve-image never -c deploy/swarm/sharpbench.yaml -c deploy/swarm/services.yaml "$STACK" >"$work/deploy.log" 2>&1 \
    || { cat "$work/deploy.log"; return 1; }
  local deadline=$((SECONDS + 420)) state
  while :; do
    state=$(service_state new-site)
    case "$state" in
      Complete*) break ;;
      Failed* | Rejected*) echo "new-site: $state"; docker service logs --tail 20 "${STACK}_new-site" 2>&1; return 1 ;;
    esac
    [ $SECONDS -lt $deadline ] || { echo "new-site not complete after 420 s: $state"; return 1; }
    sleep 2
  done
  echo "configure: $(service_state configure); new-site: $state ($((SECONDS - start)) s after deploy)"
  until_ok 300 "every role running and healthy" converged || { docker service ls; return 1; }
  until_ok 60 "ping through the frontend" sh -c "[ \"\$(curl -sS --max-time 5 -H 'Host: $SITE' http://127.0.0.1:$PORT/api/method/ping)\" = '{\"message\":\"pong\"}' ]" || return 1
  until_ok 120 "migrate complete" sh -c "docker service ps ${STACK}_migrate --format '{{.CurrentState}}' | grep -q ^Complete" || return 1
  echo "every role healthy and the site answering $((SECONDS - start)) s after deploy"
  docker service ls --filter "label=com.docker.stack.namespace=$STACK" --format '{{.Name}} {{.Replicas}}' | sort | paste -sd' '
  BENCH_KEY=$(redis_q --scan --pattern 'sb:*:workers' | head -1)
  BENCH_KEY=${BENCH_KEY%:workers}
  keep BENCH_KEY "$BENCH_KEY"
  [ -n "$BENCH_KEY" ] || { echo "no worker registered in redis-queue"; return 1; }
}

leader() { redis_q GET "$BENCH_KEY:scheduler:leader"; }

kill_scheduler_leader() {
  recall
  until_ok 30 "a scheduler leader" sh -c "[ -n \"\$(docker exec $(one_task redis-queue) redis-cli GET $BENCH_KEY:scheduler:leader)\" ]" || return 1
  local owner host c h victim="" others=""
  owner=$(leader)
  host=${owner%%:*}
  for c in $(tasks scheduler); do
    h=$(docker inspect -f '{{.Config.Hostname}}' "$c")
    if [ "$h" = "$host" ]; then victim=$c; else others="$others $h"; fi
  done
  [ -n "$victim" ] || { echo "no scheduler task has the leader's host name $host"; return 1; }
  [ -n "$others" ] || { echo "no standby scheduler task"; return 1; }
  KILL_EPOCH=$(date +%s)
  keep KILL_EPOCH "$KILL_EPOCH"
  local t0 now next=""
  t0=$(epoch_ms)
  docker kill "$victim" >/dev/null || return 1
  while :; do
    next=$(leader)
    [ -n "$next" ] && [ "$next" != "$owner" ] && break
    now=$(epoch_ms)
    [ $((now - t0)) -lt 30000 ] || { echo "no new leader 30 s after the kill (still '$next')"; return 1; }
    sleep 0.2
  done
  local took=$(( $(epoch_ms) - t0 ))
  echo "killed leader $owner; $next leads $((took / 1000)).$(printf %03d $((took % 1000))) s later (lease ${LEASE} s, renewed every $((LEASE / 3)) s)"
  # Within the lease after its last renewal, plus one standby poll, plus a second of docker exec.
  [ "$took" -le $(((LEASE + LEASE / 3 + 1) * 1000)) ] || { echo "took longer than the lease allows"; return 1; }
  # The standby took over (not the killed task's replacement, which starts later).
  case " $others " in *" ${next%%:*} "*) ;; *) echo "the new leader is not the standby task ($others)"; return 1 ;; esac
}

rows() { sql "SELECT COUNT(*), COUNT(DISTINCT description) FROM \`$DB_NAME\`.tabToDo WHERE description LIKE 'count $1-%'"; }

queue_idle() {
  local q
  for q in short default; do
    [ "$(redis_q XLEN "$BENCH_KEY:queue:$q")" = 0 ] || return 1
    [ "$(redis_q XPENDING "$BENCH_KEY:queue:$q" workers | head -1)" = 0 ] || return 1
  done
}

jobs_under_kills() {
  recall
  local sid prefix="kill$RANDOM" got n d kills=0 victims start
  DB_NAME=$(docker exec "$(one_task backend)" jq -r .db_name "sites/$SITE/site_config.json") || return 1
  sid=$(login)
  [ -n "$sid" ] || { echo "login failed"; return 1; }
  start=$SECONDS
  web -f -b "sid=$sid" -H 'Content-Type: application/json' -d "{\"prefix\":\"$prefix\",\"count\":$JOBS,\"queue\":\"short\"}" \
    /api/method/sb_stack_check.enqueue_many >/dev/null || { echo "enqueue_many failed"; return 1; }
  echo "$JOBS jobs enqueued in $((SECONDS - start)) s"
  # Kill a random worker task (queue-short or queue-long, both take the short queue) six times
  # while the queue drains; swarm restarts each, and the dead one's jobs are reclaimed.
  for _ in 1 2 3 4 5 6; do
    sleep "0.$((RANDOM % 9 + 1))"
    victims=$( (tasks queue-short; tasks queue-long) | shuf -n1)
    [ -n "$victims" ] && docker kill "$victims" >/dev/null 2>&1 && kills=$((kills + 1))
  done
  echo "$kills worker tasks killed; $(rows "$prefix" | awk '{print $1}') jobs done at the last kill"
  local deadline=$((SECONDS + 150))
  while :; do
    got=$(rows "$prefix")
    n=${got%%[[:space:]]*}
    [ "${n:-0}" -ge "$JOBS" ] && break
    [ $SECONDS -lt $deadline ] || { echo "only ${n:-0} of $JOBS jobs done after 150 s"; break; }
    sleep 2
  done
  until_ok 60 "short and default queues empty with nothing pending" queue_idle || true
  got=$(rows "$prefix")
  n=$(echo "$got" | awk '{print $1}')
  d=$(echo "$got" | awk '{print $2}')
  echo "rows $n, distinct $d: lost $((JOBS - d)), run twice $((n - d)) ($((SECONDS - start)) s)"
  [ "$n" = "$JOBS" ] && [ "$d" = "$JOBS" ]
}

# Every "queued <tick job>" line of every scheduler task, old and new, with docker's timestamp.
tick_queueings() {
  docker service logs --timestamps --no-task-ids "${STACK}_scheduler" 2>/dev/null | grep -i 'queued' | grep -i 'sb_stack_check.tick' |
    grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z' | sort
}

queued_after_kill() {
  local last
  last=$(tick_queueings | tail -1)
  [ -n "$last" ] && [ "$(date -d "$last" +%s)" -gt "$KILL_EPOCH" ]
}

scheduler_no_double_run() {
  recall
  [ -n "$KILL_EPOCH" ] || { echo "the leader was not killed"; return 1; }
  until_ok 90 "the tick event queued by the new leader" queued_after_kill || return 1
  local per_minute
  per_minute=$(tick_queueings | cut -c1-16 | uniq -c)
  echo "tick queued per minute: $(echo "$per_minute" | awk '{printf "%s %s x%s; ", $2, "", $1}')"
  ! echo "$per_minute" | awk '$1 > 1 { found = 1 } END { exit !found }' || { echo "a minute was queued twice"; return 1; }
}

rolling_update() {
  recall
  printf 'FROM %s\nLABEL org.sharpbench.swarm-roll="%s"\n' "$TEST_IMAGE" "$(date +%s%N)" | docker build -q -t "$ROLL_IMAGE" - >/dev/null || return 1
  [ "$(docker image inspect -f '{{.Id}}' "$ROLL_IMAGE")" != "$(docker image inspect -f '{{.Id}}' "$TEST_IMAGE")" ] || { echo "the new tag is the same image"; return 1; }
  # A steady load, not a flood: four connections, each waiting 10 ms between requests.
  printf 'function delay()\n  return 10\nend\n' >"$work/steady.lua"
  wrk -t1 -c4 -d300s --timeout 10s -s "$work/steady.lua" -H "Host: $SITE" "http://127.0.0.1:$PORT/api/method/ping" >"$work/wrk.txt" 2>&1 &
  local wrk_pid=$! start=$SECONDS
  sleep 3
  docker service update --quiet --detach=false --no-resolve-image --image "$ROLL_IMAGE" "${STACK}_backend" >"$work/update.log" 2>&1
  local rc=$?
  sleep 3
  kill -INT "$wrk_pid" 2>/dev/null
  wait "$wrk_pid"
  [ "$rc" -eq 0 ] || { cat "$work/update.log"; return 1; }
  local state images requests bad errors
  state=$(docker service inspect -f '{{.UpdateStatus.State}}' "${STACK}_backend")
  images=$(docker service ps "${STACK}_backend" --filter desired-state=running --format '{{.Image}}' | sort -u | paste -sd' ')
  requests=$(grep -oE '[0-9]+ requests in' "$work/wrk.txt" | grep -oE '^[0-9]+')
  bad=$(grep -oE 'Non-2xx or 3xx responses: [0-9]+' "$work/wrk.txt" | grep -oE '[0-9]+$')
  errors=$(grep -E 'Socket errors' "$work/wrk.txt")
  echo "update $state in $((SECONDS - start - 6)) s; backend tasks now run $images; $requests requests through the frontend, ${bad:-0} non-2xx${errors:+, $errors}"
  [ "$state" = completed ] || return 1
  [ "$images" = "$ROLL_IMAGE" ] || return 1
  [ "${requests:-0}" -gt 100 ] || { cat "$work/wrk.txt"; return 1; }
  [ -z "$bad" ] && [ -z "$errors" ]
}

# drain N [SLEEP_MS]: enqueues N jobs that each wait SLEEP_MS (default 10 ms: I/O-bound work, as
# most jobs are) on the short queue and prints the jobs per second until the queue is empty with
# nothing pending.
drain() {
  local n=$1 sleep_ms=${2:-10} sid t0 t1
  sid=$(login)
  t0=$(epoch_ms)
  web -f -b "sid=$sid" -H 'Content-Type: application/json' -d "{\"prefix\":\"drain$RANDOM\",\"count\":$n,\"queue\":\"short\",\"method\":\"noop\",\"sleep_ms\":$sleep_ms}" \
    /api/method/sb_stack_check.enqueue_many >/dev/null || return 1
  docker exec "$(one_task redis-queue)" sh -c "until [ \"\$(redis-cli XLEN $BENCH_KEY:queue:short)\" = 0 ] && [ \"\$(redis-cli XPENDING $BENCH_KEY:queue:short workers | head -1)\" = 0 ]; do sleep 0.05; done" || return 1
  t1=$(epoch_ms)
  awk -v n="$n" -v ms=$((t1 - t0)) 'BEGIN { printf "%.0f", n * 1000 / ms }'
}

scale_queue_short() {
  recall
  docker service scale -d=false "${STACK}_queue-long=0" "${STACK}_queue-short=1" >/dev/null 2>&1 || return 1
  local one four
  one=$(drain 400) || return 1
  docker service scale -d=false "${STACK}_queue-short=4" >/dev/null 2>&1 || return 1
  [ "$(replicas queue-short)" = 4/4 ] || { echo "queue-short is $(replicas queue-short)"; return 1; }
  four=$(drain 400) || return 1
  echo "400 jobs of 10 ms: 1 replica $one jobs/s, 4 replicas $four jobs/s ($(awk -v a="$one" -v b="$four" 'BEGIN { printf "x%.2f", b / a }'))"
  awk -v a="$one" -v b="$four" 'BEGIN { exit !(b >= 1.5 * a) }'
}

teardown_stack() {
  recall
  local start=$SECONDS
  docker stack rm "$STACK" >/dev/null || return 1
  until_ok 90 "the stack's containers and networks gone" stack_gone || return 1
  docker volume ls -q --filter "label=com.docker.stack.namespace=$STACK" | xargs -r docker volume rm >/dev/null || return 1
  [ -z "$(docker volume ls -q --filter "label=com.docker.stack.namespace=$STACK")" ] || { echo "volumes left"; return 1; }
  echo "removed in $((SECONDS - start)) s"
}
