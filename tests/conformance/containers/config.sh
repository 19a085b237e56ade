# `docker compose config` for every combination docs/docker/overrides.md documents, with
# example.env as users copy it (plus the variables those combinations require), in an empty
# environment so nothing from this shell leaks in. Sourced by run.sh.

# compose_config ENV_FILE FILE...: prints the merged configuration as JSON (errors on stderr).
compose_config() {
  local envf=$1
  shift
  local args=(--env-file "$envf")
  for f in "$@"; do args+=(-f "$f"); done
  env -i PATH="$PATH" HOME="$HOME" docker compose -p sbct-config "${args[@]}" config --format json
}

# env_with BASE NAME=VALUE...: a copy of the env file BASE with these variables set (replaced).
env_with() {
  local base=$1 out
  shift
  out=$(mktemp "$work/env.XXXXXX")
  cp "$base" "$out"
  for kv in "$@"; do
    sed -i "/^#\?${kv%%=*}=/d" "$out"
    printf '%s\n' "$kv" >>"$out"
  done
  echo "$out"
}

# env_without BASE NAME...: a copy of BASE without these variables.
env_without() {
  local base=$1 out
  shift
  out=$(mktemp "$work/env.XXXXXX")
  cp "$base" "$out"
  for k in "$@"; do sed -i "/^#\?$k=/d" "$out"; done
  echo "$out"
}

O=overrides
APP_SERVICES="configurator backend frontend websocket queue-short queue-long scheduler"
LONG_RUNNING="backend frontend websocket queue-short queue-long scheduler"

# config_ok NAME ENV_FILE JQ_ASSERTION FILE...: the combination merges and the JSON satisfies
# the jq expression (which must yield true).
config_ok() {
  local name=$1 envf=$2 assertion=$3
  shift 3
  check "compose config: $name" config_case "$envf" "$assertion" "$@"
}
config_case() {
  local envf=$1 assertion=$2 json
  shift 2
  json=$(compose_config "$envf" "$@") || return 1
  if [ "$(jq -r "$assertion" <<<"$json")" != "true" ]; then
    echo "the merged configuration does not satisfy: $assertion"
    return 1
  fi
}

# config_refused NAME ENV_FILE MESSAGE FILE...: compose refuses, naming the variable.
config_refused() {
  local name=$1 envf=$2 message=$3
  shift 3
  check "compose config refuses: $name" config_refusal "$envf" "$message" "$@"
}
config_refusal() {
  local envf=$1 message=$2 out
  shift 2
  if out=$(compose_config "$envf" "$@" 2>&1); then
    echo "compose accepted it; expected an error with: $message"
    return 1
  fi
  grep -qF -- "$message" <<<"$out" || { echo "error without '$message':"; echo "$out" | tail -3; return 1; }
  echo "$(tail -1 <<<"$out")"
}

run_config_checks() {
  local base=$work/example.env
  cp example.env "$base"
  local secret=$work/db_password
  echo "s3cret" >"$secret"
  local multi traefik custom
  multi=$(env_with "$base" DB_HOST=mariadb-database DB_PORT=3306 ROUTER=erp-one)
  traefik=$(env_with "$base" TRAEFIK_DOMAIN=traefik.example.com "HASHED_PASSWORD='\$apr1\$abc\$def'" EMAIL=admin@example.com)
  custom=$(env_with "$base" ROUTER=erp-alias BASE_SITE=erp.example.com BENCH_NETWORK=erp-one "SITES_RULE=Host(\`alias.example.com\`)")

  # What every stack must have, whatever the overrides.
  local image='([.services | to_entries[] | select(.key as $k | "'"$APP_SERVICES"'" | split(" ") | index($k)) | .value.image] | unique == ["sharpbench/sharpbench:latest"])'
  local health='([.services | to_entries[] | select(.key as $k | "'"$LONG_RUNNING"'" | split(" ") | index($k)) | .value.healthcheck.interval] | unique == ["2s"])'
  local gate='(.services.backend.depends_on.configurator.condition == "service_completed_successfully")'
  local site_header='(.services.frontend.environment.FRAPPE_SITE_NAME_HEADER == "$$host")'
  local base_ok="$image and $health and $gate and $site_header"

  config_ok "compose.yaml + mariadb + redis + noproxy" "$base" \
    "$base_ok and .services.configurator.environment.DB_HOST == \"db\" and .services.configurator.environment.DB_PORT == \"3306\" and .services.configurator.depends_on.db.condition == \"service_healthy\" and .services.frontend.ports[0].published == \"8080\" and .services.\"redis-queue\".image == \"redis:8.6-alpine\" and .services.db.image == \"mariadb:11.8\"" \
    compose.yaml $O/compose.mariadb.yaml $O/compose.redis.yaml $O/compose.noproxy.yaml
  config_ok "compose.yaml + postgres + redis + noproxy" "$base" \
    "$base_ok and .services.configurator.environment.DB_PORT == \"5432\" and .services.db.image == \"postgres:15.17\"" \
    compose.yaml $O/compose.postgres.yaml $O/compose.redis.yaml $O/compose.noproxy.yaml
  config_ok "mariadb + mariadb-secrets (root password from a file)" "$(env_with "$base" "DB_PASSWORD_SECRETS_FILE=$secret")" \
    "$base_ok and (.services.db.environment | has(\"MYSQL_ROOT_PASSWORD\") | not) and .services.db.environment.MYSQL_ROOT_PASSWORD_FILE == \"/run/secrets/db_password\" and .secrets.db_password.file == \"$secret\"" \
    compose.yaml $O/compose.mariadb.yaml $O/compose.mariadb-secrets.yaml $O/compose.redis.yaml $O/compose.noproxy.yaml
  config_ok "compose.yaml + mariadb + redis + proxy (Traefik, HTTP)" "$base" \
    "$base_ok and .services.proxy.image == \"traefik:v3.6\" and (.services.frontend.labels[\"traefik.http.routers.frontend-http.rule\"] == \"HostRegexp(\`^.+\$\$\`)\") and .services.proxy.ports[0].published == \"80\"" \
    compose.yaml $O/compose.mariadb.yaml $O/compose.redis.yaml $O/compose.proxy.yaml
  config_ok "compose.yaml + mariadb + redis + https (Traefik, Let's Encrypt)" "$base" \
    "$base_ok and .services.frontend.labels[\"traefik.http.routers.frontend-http.rule\"] == \"Host(\`erp.example.com\`)\" and (.services.proxy.command | index(\"--certificatesResolvers.main-resolver.acme.email=mail@example.com\") != null)" \
    compose.yaml $O/compose.mariadb.yaml $O/compose.redis.yaml $O/compose.https.yaml
  config_ok "compose.yaml + mariadb + redis + nginxproxy" "$base" \
    "$base_ok and .services.frontend.environment.VIRTUAL_HOST == \"erp.example.com\" and .services.frontend.environment.VIRTUAL_PORT == \"8080\"" \
    compose.yaml $O/compose.mariadb.yaml $O/compose.redis.yaml $O/compose.nginxproxy.yaml
  config_ok "compose.yaml + mariadb + redis + nginxproxy + nginxproxy-ssl" "$base" \
    "$base_ok and .services.frontend.environment.LETSENCRYPT_HOST == \"erp.example.com\" and .services.\"acme-companion\".environment.DEFAULT_EMAIL == \"mail@example.com\"" \
    compose.yaml $O/compose.mariadb.yaml $O/compose.redis.yaml $O/compose.nginxproxy.yaml $O/compose.nginxproxy-ssl.yaml
  config_ok "compose.yaml + mariadb + redis + noproxy + migrator" "$base" \
    "$base_ok and .services.migrator.environment.MIGRATE_SITES == \"true\" and .services.migrator.depends_on.configurator.condition == \"service_completed_successfully\" and .services.migrator.image == \"sharpbench/sharpbench:latest\"" \
    compose.yaml $O/compose.mariadb.yaml $O/compose.redis.yaml $O/compose.noproxy.yaml $O/compose.migrator.yaml
  config_ok "compose.yaml + mariadb + redis + noproxy + backup-cron" "$base" \
    "$base_ok and .services.scheduler.labels[\"ofelia.job-exec.datecron.schedule\"] == \"@every 6h\"" \
    compose.yaml $O/compose.mariadb.yaml $O/compose.redis.yaml $O/compose.noproxy.yaml $O/compose.backup-cron.yaml
  config_ok "compose.yaml + redis + multi-bench (shared MariaDB and Traefik)" "$multi" \
    "$base_ok and .services.frontend.labels[\"traefik.http.routers.erp-one-http.rule\"] == \"Host(\`erp.example.com\`)\" and .networks.\"bench-network\".name == \"erp-one\" and .services.configurator.environment.DB_HOST == \"mariadb-database\"" \
    compose.yaml $O/compose.redis.yaml $O/compose.multi-bench.yaml
  config_ok "compose.yaml + redis + multi-bench + multi-bench-ssl" "$multi" \
    "$base_ok and .services.frontend.labels[\"traefik.http.routers.erp-one-https.tls.certresolver\"] == \"le\"" \
    compose.yaml $O/compose.redis.yaml $O/compose.multi-bench.yaml $O/compose.multi-bench-ssl.yaml
  config_ok "traefik (shared, its own project)" "$traefik" \
    ".services.traefik.labels[\"traefik.http.routers.traefik-public-http.rule\"] == \"Host(\`traefik.example.com\`)\" and .networks.\"traefik-public\".name == \"traefik-public\"" \
    $O/compose.traefik.yaml
  config_ok "traefik + traefik-ssl" "$traefik" \
    "(.services.traefik.command | index(\"--certificatesresolvers.le.acme.email=admin@example.com\") != null) and .services.traefik.labels[\"traefik.http.middlewares.https-redirect.redirectscheme.scheme\"] == \"https\"" \
    $O/compose.traefik.yaml $O/compose.traefik-ssl.yaml
  config_ok "mariadb-shared (its own project)" "$base" \
    ".services.database.container_name == \"mariadb-database\" and .networks.\"mariadb-network\".name == \"mariadb-network\"" \
    $O/compose.mariadb-shared.yaml
  config_ok "custom-domain" "$custom" \
    ".services.\"custom-domain\".labels[\"traefik.http.middlewares.erp-alias.headers.customrequestheaders.Host\"] == \"erp.example.com\" and .networks.\"bench-network\".name == \"erp-one\"" \
    $O/compose.custom-domain.yaml
  config_ok "custom-domain + custom-domain-ssl" "$custom" \
    ".services.\"custom-domain\".labels[\"traefik.http.routers.erp-alias.tls.certresolver\"] == \"le\"" \
    $O/compose.custom-domain.yaml $O/compose.custom-domain-ssl.yaml
  config_ok "example.env values reach the services (HTTP_PUBLISH_PORT, CUSTOM_IMAGE, CLIENT_MAX_BODY_SIZE)" \
    "$(env_with "$base" HTTP_PUBLISH_PORT=18081 CUSTOM_IMAGE=registry.example.com/acme/erp CUSTOM_TAG=v2 CLIENT_MAX_BODY_SIZE=100m)" \
    ".services.frontend.ports[0].published == \"18081\" and .services.scheduler.image == \"registry.example.com/acme/erp:v2\" and .services.frontend.environment.CLIENT_MAX_BODY_SIZE == \"100m\"" \
    compose.yaml $O/compose.mariadb.yaml $O/compose.redis.yaml $O/compose.noproxy.yaml
  config_ok "pwd.yml" "$base" \
    ".services.\"create-site\".depends_on.configurator.condition == \"service_completed_successfully\" and .services.frontend.environment.FRAPPE_SITE_NAME_HEADER == \"frontend\" and .services.frontend.ports[0].published == \"8080\"" \
    pwd.yml

  # Required variables: each is refused with its own message when left out.
  config_refused "https without SITES_RULE" "$(env_without "$base" SITES_RULE)" "SITES_RULE not set" \
    compose.yaml $O/compose.mariadb.yaml $O/compose.redis.yaml $O/compose.https.yaml
  config_refused "https without LETSENCRYPT_EMAIL" "$(env_with "$base" LETSENCRYPT_EMAIL=)" "No Let's Encrypt email set" \
    compose.yaml $O/compose.mariadb.yaml $O/compose.redis.yaml $O/compose.https.yaml
  config_refused "mariadb-secrets without DB_PASSWORD_SECRETS_FILE" "$base" "No db secret file set" \
    compose.yaml $O/compose.mariadb.yaml $O/compose.mariadb-secrets.yaml $O/compose.redis.yaml
  config_refused "nginxproxy without NGINX_PROXY_HOSTS" "$(env_without "$base" NGINX_PROXY_HOSTS)" "No NGINX_PROXY_HOSTS set" \
    compose.yaml $O/compose.mariadb.yaml $O/compose.redis.yaml $O/compose.nginxproxy.yaml
  config_refused "nginxproxy-ssl without LETSENCRYPT_EMAIL" "$(env_with "$base" LETSENCRYPT_EMAIL=)" "No LETSENCRYPT_EMAIL set" \
    compose.yaml $O/compose.mariadb.yaml $O/compose.redis.yaml $O/compose.nginxproxy.yaml $O/compose.nginxproxy-ssl.yaml
  config_refused "multi-bench without ROUTER" "$base" "ROUTER not set" \
    compose.yaml $O/compose.redis.yaml $O/compose.multi-bench.yaml
  config_refused "traefik without HASHED_PASSWORD" "$(env_without "$traefik" HASHED_PASSWORD)" "No HASHED_PASSWORD set" \
    $O/compose.traefik.yaml
  config_refused "traefik without TRAEFIK_DOMAIN" "$(env_without "$traefik" TRAEFIK_DOMAIN)" "No TRAEFIK_DOMAIN set" \
    $O/compose.traefik.yaml
  config_refused "traefik-ssl without EMAIL" "$(env_without "$traefik" EMAIL)" "No EMAIL set" \
    $O/compose.traefik.yaml $O/compose.traefik-ssl.yaml
  config_refused "custom-domain without BASE_SITE" "$(env_without "$custom" BASE_SITE)" "BASE_SITE not set" \
    $O/compose.custom-domain.yaml
  config_refused "custom-domain without BENCH_NETWORK" "$(env_without "$custom" BENCH_NETWORK)" "BENCH_NETWORK not set" \
    $O/compose.custom-domain.yaml
}
