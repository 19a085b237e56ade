#!/bin/bash
# The new-site Job: creates SITE_NAME once; an existing site is success, so the Job may run again.
set -eu
[ -n "${SITE_NAME:-}" ] || { echo "new-site: SITE_NAME is empty"; exit 1; }
/opt/sharpbench/wait-for-config.sh
exec 9>sites/.setup.lock; flock 9
if [ -f "sites/$SITE_NAME/site_config.json" ]; then echo "new-site: $SITE_NAME exists, nothing to do"; exit 0; fi
bench new-site "$SITE_NAME" --db-type "${DB_TYPE:-mariadb}" --db-root-username "${DB_ROOT_USER:-root}" \
  --db-root-password "$(cat /run/secrets/sharpbench/db-root-password)" \
  --admin-password "$(cat /run/secrets/sharpbench/admin-password)" --enable-scheduler --set-default
