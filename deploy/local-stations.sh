# Sourced by deploy/run-local.sh once the services are ready: registers the simulated charge points with
# security-service (keys kept in $LOCAL/stations.txt, mode 600, reused on later runs; a key lost or refused is
# rotated) and starts the station simulator with them. Uses: LOCAL, LOGS, STATIONS, EV_ADMIN_KEY, JAVA, PIDS, ROOT.

SIMULATOR_JAR="$ROOT/deploy/station-simulator/target/station-simulator.jar"
CREDENTIALS="$LOCAL/stations.txt"
SECURITY_URL="http://127.0.0.1:8084"
touch "$CREDENTIALS" && chmod 600 "$CREDENTIALS"

admin_post() { # path json → body; fails on HTTP errors other than 409
  curl -sS -o "$LOCAL/.admin-answer" -w '%{http_code}' -X POST "$SECURITY_URL$1" \
    -H 'Content-Type: application/json' -H "X-Admin-Key: $EV_ADMIN_KEY" --data "$2"
}
key_of() { sed -n 's/.*"authorization_key" *: *"\([^"]*\)".*/\1/p' "$LOCAL/.admin-answer"; }

if [ ! -f "$SIMULATOR_JAR" ]; then
  say "station simulator not built ($SIMULATOR_JAR): no simulated stations"
else
  for i in $(seq 1 "$STATIONS"); do
    id=$(printf 'SIM-LOCAL-%03d' "$i")
    grep -q "^$id:" "$CREDENTIALS" && continue
    code=$(admin_post /admin/charge-points "{\"cp_id\":\"$id\",\"location\":\"Local simulator, Bishkek\"}")
    if [ "$code" = 409 ]; then
      code=$(admin_post "/admin/charge-points/$id/rotate-authorization-key" '{}')
    fi
    case "$code" in
      200|201) echo "$id:$(key_of)" >> "$CREDENTIALS" ;;
      *) say "could not register $id with security-service (HTTP $code): $(cat "$LOCAL/.admin-answer")" ;;
    esac
  done
  rm -f "$LOCAL/.admin-answer"
  ids=$(head -n "$STATIONS" "$CREDENTIALS" | cut -d: -f1 | paste -sd, -)
  if [ -n "$ids" ]; then
    "$JAVA" -Xmx128m -jar "$SIMULATOR_JAR" --url ws://127.0.0.1:8081/ocpp --ids "$ids" \
      --credentials-file "$CREDENTIALS" --connectors 2 >"$LOGS/station-simulator.log" 2>&1 &
    PIDS+=("$!")
    say "simulated stations $ids connect to ws://127.0.0.1:8081/ocpp (log: $LOGS/station-simulator.log)"
  fi
fi
