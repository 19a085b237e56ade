# Sourced by the suites that build images or run stacks: one CPU-heavy job at a time on this
# machine, under /tmp/sb-cpu.lock, unless a caller (flock ... ./test.sh) holds it already, which a
# second flock would deadlock on.
#
#   take_cpu_lock GUARD_VAR "$0" "$@"   # re-executes the script under the lock once
lock_pids() {
  local ino
  ino=$(stat -c %i /tmp/sb-cpu.lock 2>/dev/null) || return 0
  awk -v i="$ino" '$2 == "FLOCK" { n = split($6, a, ":"); if (a[n] == i) print $5 }' /proc/locks
}
lock_held_by_ancestor() {
  local pids p h
  pids=$(lock_pids)
  p=$$
  while [ "${p:-1}" -gt 1 ]; do
    for h in $pids; do [ "$h" = "$p" ] && return 0; done
    p=$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
  done
  return 1
}
lock_holders() {
  local p
  for p in $(lock_pids); do
    echo "  pid $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-160)"
  done
}
take_cpu_lock() {
  local guard=$1 rc=0
  shift
  if [ -z "${!guard:-}" ] && ! lock_held_by_ancestor; then
    export "$guard=1"
    # -o: flock itself holds the lock and the suite runs without its descriptor, so nothing
    # the suite starts and leaves running (dockerd, a compiler server) keeps holding it after
    # the suite ends. -w: a lock held for 40 minutes is a leftover, not a neighbour's run, so
    # the suite fails and names the holder instead of waiting out CI's limit.
    flock -x -o -w 2400 -E 75 /tmp/sb-cpu.lock bash "$@" || rc=$?
    if [ "$rc" = 75 ]; then
      echo "/tmp/sb-cpu.lock was still held after 40 minutes, by:"
      lock_holders
      echo "0 passed, 1 failed"
    fi
    exit "$rc"
  fi
}
