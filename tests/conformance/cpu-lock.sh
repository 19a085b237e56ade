# Sourced by the suites that build images or run stacks: one CPU-heavy job at a time on this
# machine, under /tmp/sb-cpu.lock, unless a caller (flock ... ./test.sh) holds it already, which a
# second flock would deadlock on.
#
#   take_cpu_lock GUARD_VAR "$0" "$@"   # re-executes the script under the lock once
lock_held_by_ancestor() {
  local ino pids p h
  ino=$(stat -c %i /tmp/sb-cpu.lock 2>/dev/null) || return 1
  pids=$(awk -v i="$ino" '$2 == "FLOCK" { n = split($6, a, ":"); if (a[n] == i) print $5 }' /proc/locks)
  p=$$
  while [ "${p:-1}" -gt 1 ]; do
    for h in $pids; do [ "$h" = "$p" ] && return 0; done
    p=$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
  done
  return 1
}
take_cpu_lock() {
  local guard=$1
  shift
  if [ -z "${!guard:-}" ] && ! lock_held_by_ancestor; then
    export "$guard=1"
    exec flock -x /tmp/sb-cpu.lock bash "$@"
  fi
}
