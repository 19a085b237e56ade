#!/bin/bash
# The frontend role: renders /templates/nginx/frappe.conf.template into
# /etc/nginx/conf.d/frappe.conf and runs nginx in the foreground, as the image's user, on 8080.
# Eight variables (and the optional NGINX_RESOLVER below), each defaulted (and the default logged) when empty; envsubst replaces only
# those, so nginx's own $host, $uri, ... stay as they are.
set -euo pipefail

default() {   # default NAME VALUE
  if [[ -z "${!1:-}" ]]; then
    echo "$1 defaulting to $2"
    export "$1=$2"
  fi
}
default BACKEND 0.0.0.0:8000
default SOCKETIO 0.0.0.0:9000
default UPSTREAM_REAL_IP_ADDRESS 127.0.0.1
default UPSTREAM_REAL_IP_HEADER X-Forwarded-For
default UPSTREAM_REAL_IP_RECURSIVE off
# shellcheck disable=SC2016 # the literal nginx variable: the site is the request's Host
default FRAPPE_SITE_NAME_HEADER '$host'
default PROXY_READ_TIMEOUT 120
default CLIENT_MAX_BODY_SIZE 50m

# shellcheck disable=SC2016 # envsubst's list of names, not an expansion
envsubst '${BACKEND} ${SOCKETIO} ${UPSTREAM_REAL_IP_ADDRESS} ${UPSTREAM_REAL_IP_HEADER} ${UPSTREAM_REAL_IP_RECURSIVE} ${FRAPPE_SITE_NAME_HEADER} ${PROXY_READ_TIMEOUT} ${CLIENT_MAX_BODY_SIZE}' \
  </templates/nginx/frappe.conf.template >/etc/nginx/conf.d/frappe.conf

# NGINX_RESOLVER (a DNS server, e.g. Docker's 127.0.0.11): BACKEND and SOCKETIO are looked up
# again every 2 s instead of once at start. A swarm service with endpoint_mode dnsrr (or a
# Kubernetes headless service) gets new addresses whenever a task is replaced; an address
# resolved at start would point at the replaced task after a rolling update. Without upstream
# blocks nginx keeps no idle connections to the roles, so this costs a TCP handshake per request.
if [[ -n "${NGINX_RESOLVER:-}" ]]; then
  echo "NGINX_RESOLVER=$NGINX_RESOLVER: $BACKEND and $SOCKETIO are resolved again every 2 s"
  sed -i \
    -e '/^upstream /,/^}/d' \
    -e "s|^\tlisten 8080;|\tlisten 8080;\n\tresolver $NGINX_RESOLVER valid=2s ipv6=off;\n\tresolver_timeout 3s;\n\tset \$backend_upstream $BACKEND;\n\tset \$socketio_upstream $SOCKETIO;|" \
    -e 's|proxy_pass http://backend-server;|proxy_pass http://$backend_upstream;|' \
    -e 's|proxy_pass http://socketio-server;|proxy_pass http://$socketio_upstream;|' \
    /etc/nginx/conf.d/frappe.conf
fi

# exec: nginx is PID 1's child no more, so docker stop's TERM reaches it (fast shutdown).
exec nginx -g 'daemon off;'
