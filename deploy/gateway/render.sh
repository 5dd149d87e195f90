#!/bin/sh
# Renders the EvPower API gateway configuration into a directory nginx can use as its prefix, without root:
#   deploy/gateway/render.sh <dir>
#   nginx -p <dir> -c <dir>/nginx.conf -g 'daemon off;'
# Placeholders come from the environment (defaults: the local run on loopback), see nginx.conf and deploy/.env.example.
# Setting NGINX_TLS_CERTIFICATE and NGINX_TLS_CERTIFICATE_KEY also renders the TLS server (tls.conf).
set -eu

if [ $# -ne 1 ]; then
  echo "usage: $0 <output dir>" >&2
  exit 2
fi
SRC="$(cd "$(dirname "$0")" && pwd)"
OUT="$1"

: "${NGINX_LISTEN:=127.0.0.1:8080}"
: "${NGINX_STATION_GATEWAY_UPSTREAM:=127.0.0.1:8081}"
: "${NGINX_CHARGING_UPSTREAM:=127.0.0.1:8082}"
: "${NGINX_PAYMENT_UPSTREAM:=127.0.0.1:8083}"
: "${NGINX_RATE_PER_SECOND:=50}"
: "${NGINX_ACCESS_LOG:=logs/access.log}"
: "${NGINX_ERROR_LOG:=logs/error.log}"
: "${NGINX_WORKERS:=1}"
: "${NGINX_TLS_LISTEN:=0.0.0.0:8443}"
: "${NGINX_TLS_CERTIFICATE:=}"
: "${NGINX_TLS_CERTIFICATE_KEY:=}"

VARS="NGINX_LISTEN NGINX_STATION_GATEWAY_UPSTREAM NGINX_CHARGING_UPSTREAM NGINX_PAYMENT_UPSTREAM NGINX_RATE_PER_SECOND
NGINX_ACCESS_LOG NGINX_ERROR_LOG NGINX_WORKERS NGINX_TLS_LISTEN NGINX_TLS_CERTIFICATE NGINX_TLS_CERTIFICATE_KEY"

# A value is one token of nginx syntax: refuse anything that could end a directive or open a block.
for name in $VARS; do
  eval "value=\${$name}"
  case "$value" in
    *[\;\{\}\'\"\ \	\$\\\|\&]*) echo "render.sh: $name has a character not allowed in it: $value" >&2; exit 2 ;;
  esac
done

# Replaces ${NAME} for our variables only; nginx's own $variables stay untouched.
render() {
  script=""
  for name in $VARS; do
    eval "value=\${$name}"
    script="${script}s|\\\${$name}|${value}|g;"
  done
  sed "$script" "$1" > "$2"
}

mkdir -p "$OUT/logs" "$OUT/tls-enabled" \
  "$OUT/temp/client_body" "$OUT/temp/proxy" "$OUT/temp/fastcgi" "$OUT/temp/uwsgi" "$OUT/temp/scgi"
render "$SRC/nginx.conf" "$OUT/nginx.conf"
for include in routes.conf proxy.conf proxy-headers.conf websocket.conf security-headers.conf; do
  cp "$SRC/$include" "$OUT/$include"
done
rm -f "$OUT/tls-enabled/tls.conf"
if [ -n "$NGINX_TLS_CERTIFICATE" ] && [ -n "$NGINX_TLS_CERTIFICATE_KEY" ]; then
  render "$SRC/tls.conf" "$OUT/tls-enabled/tls.conf"
fi
if grep -n '\${NGINX_' "$OUT/nginx.conf" "$OUT"/tls-enabled/*.conf 2>/dev/null; then
  echo "render.sh: unrendered placeholder left" >&2
  exit 1
fi
echo "$OUT/nginx.conf"
