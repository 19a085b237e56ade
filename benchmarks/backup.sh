#!/usr/bin/env bash
# Backup and restore of a MariaDB site holding N ToDo documents (default 100,000), beside the
# raw tools doing the same by hand: `bench backup` against `mariadb-dump --single-transaction |
# gzip`, and `bench restore` against `gunzip | mariadb` into an empty database. Each line: wall
# seconds and peak RSS (GNU time's %M: the largest process of the command, the dump/load client
# included). ROUNDS rounds (default 3) alternate ours and the raw tools', and the end prints each
# command's median and the ratios. Not run by CI. Env: N, ROUNDS, BENCH (the bench command,
# default ./bench), SB_MARIADB_*.
set -Eeuo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
N=${N:-100000} ROUNDS=${ROUNDS:-3}
read -r -a bench <<<"${BENCH:-$repo/bench}"
host=${SB_MARIADB_HOST:-127.0.0.1}; port=${SB_MARIADB_PORT:-13306}
ruser=${SB_MARIADB_ROOT_USER:-root}; rpw=${SB_MARIADB_ROOT_PASSWORD:-root}
site=bk$RANDOM.localhost
run=$(mktemp -d /tmp/sb-backup-bench.XXXXXX)
rawdb=sb_raw_$RANDOM
root_sql() { MYSQL_PWD=$rpw mariadb -h "$host" -P "$port" -u "$ruser" "$@"; }
cleanup() {
  (cd "$run" && "${bench[@]}" drop-site "$site" --db-root-password "$rpw" >/dev/null 2>&1) || true
  root_sql -e "DROP DATABASE IF EXISTS $rawdb" || true
  rm -rf "$run"
}
trap cleanup EXIT
cd "$run"
measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$run/time" "$@" >/dev/null 2>"$run/err" || { cat "$run/err"; exit 1; }
  read -r secs kb <"$run/time"
  printf '%-46s %8.2f s %8.1f MiB\n' "$label" "$secs" "$(echo "$kb/1024" | bc -l)"
  times[$label]+="$secs "
}
declare -A times=()
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

"${bench[@]}" new-site "$site" --db-type mariadb --db-host "$host" --db-port "$port" \
  --db-root-username "$ruser" --db-root-password "$rpw" --admin-password admin >/dev/null
db=$(jq -r .db_name "sites/$site/site_config.json")
echo "seeding $N ToDo documents into $site ($db)"
awk -v n="$N" 'BEGIN {
  for (i = 0; i < n; i += 1000) {
    printf "INSERT INTO `tabToDo` (name, creation, modified, owner, modified_by, docstatus, idx, status, priority, description) VALUES ";
    for (j = i; j < i + 1000 && j < n; j++)
      printf "%s(\"bench-%07d\", NOW(6), NOW(6), \"Administrator\", \"Administrator\", 0, 0, \"Open\", \"Medium\", \"Call back customer %d about the order; check the delivery address, the invoice and the payment terms before Friday.\")", (j > i ? "," : ""), j, j;
    print ";";
  }
}' | root_sql "$db"
root_sql -N -e "SELECT COUNT(*) FROM \`$db\`.\`tabToDo\`"

for r in $(seq "$ROUNDS"); do
  echo "round $r"
  measure "bench backup" "${bench[@]}" --site "$site" backup
  file=$(ls sites/"$site"/private/backups/*-database.sql.gz | tail -1)
  measure "mariadb-dump --single-transaction | gzip" sh -c "MYSQL_PWD=$rpw mariadb-dump --single-transaction --quick --lock-tables=false -h $host -P $port -u $ruser $db | gzip > raw.sql.gz"
  measure "mariadb-dump --single-transaction | gzip -1" sh -c "MYSQL_PWD=$rpw mariadb-dump --single-transaction --quick --lock-tables=false -h $host -P $port -u $ruser $db | gzip -1 > raw1.sql.gz"
  [ "$r" -eq 1 ] && echo "sizes: bench $(stat -c %s "$file") B, gzip $(stat -c %s raw.sql.gz) B, gzip -1 $(stat -c %s raw1.sql.gz) B"

  measure "bench restore --skip-migrate" "${bench[@]}" --site "$site" restore "$file" --db-root-password "$rpw" --skip-migrate
  measure "bench restore (then migrate)" "${bench[@]}" --site "$site" restore "$file" --db-root-password "$rpw"
  root_sql -e "DROP DATABASE IF EXISTS $rawdb; CREATE DATABASE $rawdb"
  measure "gunzip | mariadb (empty database)" sh -c "gunzip < raw1.sql.gz | MYSQL_PWD=$rpw mariadb -h $host -P $port -u $ruser $rawdb"
  db=$(jq -r .db_name "sites/$site/site_config.json")
  [ "$(root_sql -N -e "SELECT COUNT(*) FROM \`$db\`.\`tabToDo\`")" = "$N" ] || { echo "the restored site lost rows" >&2; exit 1; }
done

m() { median "${times[$1]}"; }
ratio() { printf '%.2fx' "$(echo "$(m "$1") / $(m "$2")" | bc -l)"; }
echo "medians of $ROUNDS rounds, N = $N:"
for label in "bench backup" "mariadb-dump --single-transaction | gzip" "bench restore --skip-migrate" "bench restore (then migrate)" "gunzip | mariadb (empty database)"; do
  printf '  %-46s %6.2f s\n' "$label" "$(m "$label")"
done
echo "BACKUP N=$N: backup $(ratio "bench backup" "mariadb-dump --single-transaction | gzip") of the raw dump; restore --skip-migrate $(ratio "bench restore --skip-migrate" "gunzip | mariadb (empty database)"), restore then migrate $(ratio "bench restore (then migrate)" "gunzip | mariadb (empty database)") of the raw load"
