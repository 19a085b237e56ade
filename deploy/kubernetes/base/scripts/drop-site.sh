#!/bin/bash
# The drop-site Job: drops SITE_NAME (archived under archived_sites, its database dropped). A site
# that is already gone is success, so the Job may run again.
set -eu
[ -n "${SITE_NAME:-}" ] || { echo "drop-site: SITE_NAME is empty"; exit 1; }
/opt/sharpbench/wait-for-config.sh
exec 9>sites/.setup.lock; flock 9
if [ ! -f "sites/$SITE_NAME/site_config.json" ]; then echo "drop-site: $SITE_NAME does not exist, nothing to do"; exit 0; fi
bench drop-site "$SITE_NAME" --db-root-username "${DB_ROOT_USER:-root}" \
  --db-root-password "$(cat /run/secrets/sharpbench/db-root-password)"
