#!/usr/bin/env bash
# Mints a development end-user token (RS256, 1 hour) from the local identity-provider key that deploy/run-local.sh
# generated, so the mobile API can be called with curl:
#   TOKEN=$(deploy/mint-token.sh demo-client)
#   curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8083/api/v1/balance/demo-client
#   deploy/mint-token.sh --admin operator-1      an operator token (groups: admin)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_FILE="${EVPOWER_LOCAL_DIR:-$ROOT/deploy/local}/.env"
groups='["user"]'
if [ "${1:-}" = "--admin" ]; then groups='["admin"]'; shift; fi
subject="${1:?usage: deploy/mint-token.sh [--admin] <client-id>}"
[[ "$subject" =~ ^[A-Za-z0-9._:@-]{1,128}$ ]] || { echo "mint-token: the id may hold letters, digits and ._:@- only" >&2; exit 2; }
[ -f "$ENV_FILE" ] || { echo "mint-token: $ENV_FILE is missing; run deploy/run-local.sh once first" >&2; exit 1; }
# shellcheck disable=SC1090
. "$ENV_FILE"
b64url() { openssl base64 -e -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT","kid":"evpower-dev-idp"}' | b64url)
payload=$(printf '{"iss":"%s","aud":"%s","sub":"%s","upn":"%s","groups":%s,"iat":%d,"exp":%d,"jti":"%s"}' \
  "$EVPOWER_IDP_ISSUER" "$EVPOWER_IDP_AUDIENCE" "$subject" "$subject" "$groups" "$now" "$((now + 3600))" \
  "$(openssl rand -hex 12)" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$EVPOWER_IDP_PRIVATE_KEY" | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
