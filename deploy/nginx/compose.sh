#!/bin/sh
# deploy/nginx/urge.conf made to fit deploy/compose.yaml, run by the nginx image's entrypoint
# (from /docker-entrypoint.d/) before nginx starts. The one file stays the configuration:
# this only changes
#   - the host name, urge.example.org, to $URGE_DOMAIN (server_name and the certificates' paths);
#   - the upstream, 127.0.0.1:8000, to every replica of the web role: the name `web`, which
#     Docker's DNS (127.0.0.11) answers with each replica's address, resolved again every 10 s
#     so that replicas started or replaced by an upgrade get requests (nginx 1.27.3 or later).
set -eu
: "${URGE_DOMAIN:?set URGE_DOMAIN in deploy/.env}"
source_conf="${URGE_CONF_SOURCE:-/etc/urge/urge.conf}"
target_conf="${URGE_CONF_TARGET:-/etc/nginx/conf.d/default.conf}"
{
    echo "resolver 127.0.0.11 valid=10s ipv6=off;"
    sed -e "s/urge\.example\.org/${URGE_DOMAIN}/g" \
        -e 's/^\( *\)server 127\.0\.0\.1:8000;.*$/\1zone urge_hosts 64k;\n\1server web:8000 resolve;/' \
        "$source_conf"
} > "$target_conf"
