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
GWBRIDGE_MADE_HERE=""
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

# service_logs SERVICE [docker logs options]: the logs of each container the service ran, live or
# dead (swarm keeps a few dead tasks per slot). Not `docker service logs`: on this engine it hung
# for minutes, without a byte, once tasks of the service had been killed.
service_logs() {
  local s=$1 c
  shift
  for c in $(docker ps -aq --filter "label=com.docker.swarm.service.name=${STACK}_$s"); do
    timeout 20 docker logs "$@" "$c" 2>&1
  done
}

# On a failed check: the stack's tasks and the last log lines of each service.
show_logs() {
  echo "# --- docker stack ps $STACK (not running)"
  docker stack ps "$STACK" --filter desired-state=shutdown --format '{{.Name}} {{.CurrentState}} {{.Error}}' 2>&1 | head -20 | sed 's/^/#   /'
  local s
  local c
  for c in $(docker ps -aq --filter "label=com.docker.stack.namespace=$STACK"); do
    echo "# --- $(docker inspect -f '{{.Name}} {{.State.Status}}' "$c" | cut -c2-): last 8 lines"
    timeout 20 docker logs --tail 8 "$c" 2>&1 | cut -c1-300 | sed 's/^/#   /'
  done
}

join_swarm() {
  local state
  state=$(docker info --format '{{.Swarm.LocalNodeState}}')
  case "$state" in
    active) echo "the engine is a swarm node already (left as it is)" ;;
    inactive)
      # swarm init makes docker_gwbridge and swarm leave keeps it: removed at the end when made here.
      docker network inspect docker_gwbridge >/dev/null 2>&1 || keep GWBRIDGE_MADE_HERE 1
      docker swarm init --advertise-addr 127.0.0.1 >/dev/null || return 1
      keep SWARM_STARTED_HERE 1
      echo "docker swarm init --advertise-addr 127.0.0.1 (left again at the end)" ;;
    *) echo "swarm state '$state'"; return 1 ;;
  esac
  [ "$(docker info --format '{{.Swarm.ControlAvailable}}')" = true ] || { echo "this node is not a swarm manager"; return 1; }
}

leave_swarm() {
  recall
  [ -n "$SWARM_STARTED_HERE" ] || return 0
  docker swarm leave --force >/dev/null 2>&1
  [ -n "${GWBRIDGE_MADE_HERE:-}" ] && docker network rm docker_gwbridge >/dev/null 2>&1
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
      Failed* | Rejected*) echo "new-site: $state"; service_logs new-site --tail 20; return 1 ;;
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
  DB_NAME=$(docker exec "$(one_task backend)" jq -r .db_name "sites/$SITE/site_config.json") || return 1
  keep DB_NAME "$DB_NAME"
  BENCH_KEY=$(redis_q --scan --pattern 'sb:*:workers' | head -1)
  BENCH_KEY=${BENCH_KEY%:workers}
  keep BENCH_KEY "$BENCH_KEY"
  [ -n "$BENCH_KEY" ] || { echo "no worker registered in redis-queue"; return 1; }
}

leader() { redis_q GET "$BENCH_KEY:scheduler:leader"; }

# more_ticks_than N: more than N tick queueings are logged.
more_ticks_than() { [ "$(tick_queueings | wc -l)" -gt "$1" ]; }

kill_scheduler_leader() {
  recall
  until_ok 30 "a scheduler leader" sh -c "[ -n \"\$(docker exec $(one_task redis-queue) redis-cli GET $BENCH_KEY:scheduler:leader)\" ]" || return 1
  # The leader is killed right after it queued the minute's tick event: a standby taking over then
  # must not queue that minute again (checked by scheduler_no_double_run).
  local before
  before=$(tick_queueings | wc -l)
  until_ok 75 "the leader queueing the minute's tick event" more_ticks_than "$before" || return 1
  echo "the leader queued the tick event at $(tick_queueings | tail -1)"
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
  docker kill "$victim" >/dev/null || return 1
  # From the kill's return: the leader renews its lock until it is dead (docker kill itself took
  # up to 0.3 s on a busy machine).
  t0=$(epoch_ms)
  while :; do
    next=$(leader)
    [ -n "$next" ] && [ "$next" != "$owner" ] && break
    now=$(epoch_ms)
    [ $((now - t0)) -lt 30000 ] || { echo "no new leader 30 s after the kill (still '$next')"; return 1; }
    sleep 0.2
  done
  # Usually the standby takes over. The killed task's replacement may win instead: swarm starts it
  # within a second or two, and whichever live scheduler asks first once the lock expires leads.
  # Either is a correct takeover; the lease bound below holds for both.
  local who="the killed task's replacement"
  case " $others " in *" ${next%%:*} "*) who="a standby" ;; esac
  # When, by the engine's timestamp of the new leader's "is now the leader" line (this loop's
  # docker exec polling would add up to a second on a busy machine).
  local c at="" took
  for c in $(tasks scheduler); do
    [ "$(docker inspect -f '{{.Config.Hostname}}' "$c")" = "${next%%:*}" ] || continue
    at=$(docker logs --timestamps "$c" 2>&1 | grep -F "Scheduler $next is now the leader" | head -1 | cut -d' ' -f1)
  done
  [ -n "$at" ] || { echo "no 'is now the leader' line from $next"; return 1; }
  took=$(( $(date -d "$at" +%s%3N) - t0 ))
  echo "killed leader $owner; $next ($who) leads $((took / 1000)).$(printf %03d $((took % 1000))) s later (lease ${LEASE} s, renewed every $((LEASE / 3)) s)"
  # The dead leader's lock expires at most one lease after the kill, and the standby asks again
  # the moment it does; half a second covers the round trips and the log line's way to the engine.
  [ "$took" -le $((LEASE * 1000 + 500)) ] || { echo "took longer than the lease allows"; return 1; }
}

rows() { sql "SELECT COUNT(*), COUNT(DISTINCT description) FROM \`$DB_NAME\`.tabToDo WHERE description LIKE 'count $1-%'"; }

queue_idle() {
  local q
  for q in short default; do
    [ "$(redis_q XLEN "$BENCH_KEY:queue:$q")" = 0 ] || return 1
    [ "$(redis_q XPENDING "$BENCH_KEY:queue:$q" workers | head -1)" = 0 ] || return 1
  done
}

# A random worker task (queue-short or queue-long, both take the short queue) that is healthy:
# started, and its worker has beaten its heartbeat, so it is taking jobs.
healthy_worker() {
  local c
  for c in $( (tasks queue-short; tasks queue-long) | shuf); do
    [ "$(docker inspect -f '{{.State.Health.Status}}' "$c" 2>/dev/null)" = healthy ] && { echo "$c"; return 0; }
  done
  return 1
}

jobs_under_kills() {
  recall
  local sid prefix="kill$RANDOM" got n d kills=0 at="" victim start since reclaimed
  sid=$(login)
  [ -n "$sid" ] || { echo "login failed"; return 1; }
  since=$(date +%s)
  start=$SECONDS
  web -f -b "sid=$sid" -H 'Content-Type: application/json' -d "{\"prefix\":\"$prefix\",\"count\":$JOBS,\"queue\":\"short\"}" \
    /api/method/sb_stack_check.enqueue_many >/dev/null || { echo "enqueue_many failed"; return 1; }
  echo "$JOBS jobs enqueued in $((SECONDS - start)) s"
  # Every 1-3 s while jobs remain, six times: docker kill a healthy worker task. Swarm restarts it,
  # and another worker reclaims the jobs the dead one had taken.
  while [ "$kills" -lt 6 ] && [ $((SECONDS - start)) -lt 90 ]; do
    sleep "$((RANDOM % 2 + 1)).$((RANDOM % 10))"
    n=$(rows "$prefix" | awk '{print $1}')
    [ "${n:-0}" -lt "$JOBS" ] || break
    victim=$(healthy_worker) || continue
    docker kill "$victim" >/dev/null 2>&1 || continue
    kills=$((kills + 1))
    at="$at ${n:-0}"
  done
  echo "$kills worker tasks killed, at$at jobs done"
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
  reclaimed=$( (service_logs queue-short --since "$since"; service_logs queue-long --since "$since") |
    grep -c 'sb_stack_check.count .* was left by a worker that stopped')
  echo "rows $n, distinct $d: lost $((JOBS - d)), run twice $((n - d)); $reclaimed jobs taken over from killed workers ($((SECONDS - start)) s)"
  [ "$kills" -ge 3 ] || { echo "only $kills kills while jobs remained (at least 3 wanted)"; return 1; }
  # A kill that found its worker between jobs proves nothing: some must have left jobs behind.
  [ "$reclaimed" -gt 0 ] || { echo "no job was left by a killed worker: the kills missed every job in flight"; return 1; }
  [ "$n" = "$JOBS" ] && [ "$d" = "$JOBS" ]
}

# Every "queued <tick job>" line of every scheduler task, old and new, with docker's timestamp.
tick_queueings() {
  service_logs scheduler --timestamps | grep -i 'queued' | grep -i 'sb_stack_check.tick' |
    grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z' | sort
}

queued_after_kill() {
  local last
  last=$(tick_queueings | tail -1)
  [ -n "$last" ] && [ "$(date -d "$last" +%s)" -gt "$KILL_EPOCH" ]
}

tick_rows() { sql "SELECT COUNT(*) FROM \`$DB_NAME\`.tabToDo WHERE description LIKE 'tick %'"; }
ticks_ran_at_least() { [ "$(tick_rows)" -ge "$1" ]; }

scheduler_no_double_run() {
  recall
  [ -n "$KILL_EPOCH" ] || { echo "the leader was not killed"; return 1; }
  until_ok 90 "the tick event queued by the new leader" queued_after_kill || return 1
  local per_minute
  per_minute=$(tick_queueings | cut -c1-16 | uniq -c)
  echo "tick queued per minute: $(echo "$per_minute" | awk '{printf "%s %s x%s; ", $2, "", $1}')"
  ! echo "$per_minute" | awk '$1 > 1 { found = 1 } END { exit !found }' || { echo "a minute was queued twice"; return 1; }
  # And each queued tick ran once: one "tick HOST" ToDo per queueing, none more.
  local queued ran
  queued=$(tick_queueings | wc -l)
  until_ok 60 "a tick ToDo for each of the $queued queueings" ticks_ran_at_least "$queued" || return 1
  ran=$(tick_rows)
  # (Read again: a new minute may have queued one more meanwhile.)
  echo "$queued tick events queued, $ran ran"
  [ "$ran" -le "$(tick_queueings | wc -l)" ] || { echo "the tick job ran $ran times for $queued queueings"; return 1; }
}

rolling_update() {
  recall
  printf 'FROM %s\nLABEL org.sharpbench.swarm-roll="%s"\n' "$TEST_IMAGE" "$(date +%s%N)" | docker build -q -t "$ROLL_IMAGE" - >/dev/null || return 1
  [ "$(docker image inspect -f '{{.Id}}' "$ROLL_IMAGE")" != "$(docker image inspect -f '{{.Id}}' "$TEST_IMAGE")" ] || { echo "the new tag is the same image"; return 1; }
  # A steady load, not a flood: four connections, each waiting 10 ms between requests.
  printf 'function delay()\n  return 10\nend\n' >"$work/steady.lua"
  wrk -t1 -c4 -d300s --timeout 10s -s "$work/steady.lua" -H "Host: $SITE" "http://127.0.0.1:$PORT/api/method/ping" >"$work/wrk.txt" 2>&1 &
  local wrk_pid=$! start=$SECONDS since
  since=$(date +%s)
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
  # nginx logs each request it could not pass to a task (and then passed to another one).
  local retried max
  retried=$(service_logs frontend --since "$since" | grep -c 'while connecting to upstream')
  max=$(awk '$1 == "Latency" { print $4 }' "$work/wrk.txt")
  echo "update $state in $((SECONDS - start - 6)) s; backend tasks now run $images; $requests requests through the frontend, ${bad:-0} non-2xx${errors:+, $errors}; slowest $max; nginx moved $retried to another task"
  local ok=1
  [ "$state" = completed ] || { echo "the update did not complete: $(docker service inspect -f '{{.UpdateStatus.Message}}' "${STACK}_backend")"; ok=0; }
  [ "$images" = "$ROLL_IMAGE" ] || { echo "the backend tasks do not all run $ROLL_IMAGE"; ok=0; }
  [ "${requests:-0}" -gt 100 ] || { echo "too few requests to judge"; ok=0; }
  [ -z "$bad" ] && [ -z "$errors" ] || ok=0
  [ "$ok" = 1 ] && return 0
  echo "# wrk:"; sed 's/^/#   /' "$work/wrk.txt"
  echo "# the frontend's log since the update began (errors):"
  service_logs frontend --since "$since" | grep -E '\[(error|warn|crit)\]| 5[0-9][0-9] ' | tail -20 | cut -c1-300
  echo "# the backend's log since the update began:"
  service_logs backend --since "$since" --timestamps | grep -vE 'Request (starting|finished)' | tail -30 | cut -c1-300
  return 1
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
  # Jobs that wait 50 ms, like a call to another service: a replica (one job at a time, as an RQ
  # worker) mostly waits, not computes, so more replicas drain faster even on two cores. No-op
  # jobs do not scale here: one worker takes them in batches as fast as Redis and the two cores
  # allow (benchmarks/swarm-scale.sh measures those).
  one=$(drain 300 50) || return 1
  docker service scale -d=false "${STACK}_queue-short=4" >/dev/null 2>&1 || return 1
  [ "$(replicas queue-short)" = 4/4 ] || { echo "queue-short is $(replicas queue-short)"; return 1; }
  four=$(drain 300 50) || return 1
  echo "300 jobs of 50 ms: 1 replica $one jobs/s, 4 replicas $four jobs/s ($(awk -v a="$one" -v b="$four" 'BEGIN { printf "x%.2f", b / a }'))"
  awk -v a="$one" -v b="$four" 'BEGIN { exit !(b >= 2 * a) }' || { echo "four replicas drained less than twice as fast as one"; return 1; }
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
