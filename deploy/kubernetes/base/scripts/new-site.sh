#!/bin/bash
# The new-site Job: creates SITE_NAME once; an existing site is success, so the Job may run again.
# INSTALL_APPS (space-separated apps of the image) are installed on it besides frappe, as
# `bench new-site --install-app APP` for each.
set -eu
[ -n "${SITE_NAME:-}" ] || { echo "new-site: SITE_NAME is empty"; exit 1; }
/opt/sharpbench/wait-for-config.sh
exec 9>sites/.setup.lock; flock 9
if [ -f "sites/$SITE_NAME/site_config.json" ]; then echo "new-site: $SITE_NAME exists, nothing to do"; exit 0; fi
install_apps=()
for app in ${INSTALL_APPS:-}; do install_apps+=(--install-app "$app"); done
bench new-site "$SITE_NAME" --db-type "${DB_TYPE:-mariadb}" --db-root-username "${DB_ROOT_USER:-root}" \
  --db-root-password "$(cat /run/secrets/sharpbench/db-root-password)" \
  --admin-password "$(cat /run/secrets/sharpbench/admin-password)" --enable-scheduler --set-default "${install_apps[@]}"
