#!/usr/bin/env bash
# Issue 18's stalled uploads and slowloris against one gateway JVM with the production flags (jvm.options: 96 MB of
# heap, 64 MB of direct memory), in front of a stand-in backend (bench/slow_clients.py stub), while a legitimate
# client reads; prints what the attackers got, what the legitimate client got, and the gateway's peak direct memory,
# heap, bodies held, RSS and log growth (bench/slow_clients.py attack). Stops what it started on exit.
#
# Usage: bench/slow_clients.sh [gateway jar]    (default: the one in gateway/target; build it with
#        ./mvnw -B -pl gateway -am package -DskipTests)
# Settings (environment): PORT_BASE [18080] (the gateway; its actuator on + 1000; the backend on + 2), DURATION [30],
# STALLED [1200], ANONYMOUS [1200], SLOWLORIS [1500], OUT [target/slow-clients], JAVA_OPTS (added to jvm.options)
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=${1:-$(ls gateway/target/gateway-*.jar | grep -v -- '-plain' | head -1)}
PORT=${PORT_BASE:-18080}
BACKEND=$((PORT + 2))
OUT=${OUT:-target/slow-clients}
mkdir -p "$OUT"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

eval "$(./run.sh keys | sed 's/^/export /')"

# a user's access token, RS256 with the JWT key, as user-service would sign it
base64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
key=$(mktemp)
{ echo '-----BEGIN PRIVATE KEY-----'; echo "$JWT_PRIVATE_KEY" | fold -w 64; echo '-----END PRIVATE KEY-----'; } > "$key"
now=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT"}' | base64url)
payload=$(printf '{"iss":"shop-user-service","aud":["shop-api"],"sub":"%s","iat":%d,"exp":%d}' \
  aaaaaaaaaaaaaaaaaaaaaaa1 "$now" $((now + 3600)) | base64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | base64url)
rm -f "$key"
export TOKEN="$header.$payload.$signature"

python3 bench/slow_clients.py stub "$BACKEND" &
pids+=($!)

JWT_PUBLIC_KEY=$JWT_PUBLIC_KEY SERVICE_PRIVATE_KEY=$GATEWAY_PRIVATE_KEY PORT=$PORT MALLOC_ARENA_MAX=2 \
  USER_SERVICE_URL=http://127.0.0.1:$BACKEND PRODUCT_SERVICE_URL=http://127.0.0.1:$BACKEND \
  java @jvm.options ${JAVA_OPTS:-} -jar "$JAR" > "$OUT/gateway.log" 2>&1 &
pids+=($!)
export GATEWAY_PID=$! GATEWAY_LOG=$OUT/gateway.log GATEWAY=http://127.0.0.1:$PORT MANAGEMENT=http://127.0.0.1:$((PORT + 1000))

for _ in $(seq 120); do
  curl -fs "$MANAGEMENT/actuator/health/readiness" > /dev/null && break
  kill -0 "$GATEWAY_PID" 2>/dev/null || { echo "the gateway did not start; see $OUT/gateway.log" >&2; exit 1; }
  sleep 1
done
curl -fs "$GATEWAY/api/products?size=1" > /dev/null || { echo "the gateway does not route to the stand-in backend" >&2; exit 1; }

python3 bench/slow_clients.py attack "$OUT/result.json"
echo "OutOfMemoryError lines in the gateway's log: $(grep -c 'OutOfMemoryError\|OutOfDirectMemoryError' "$OUT/gateway.log" || true)"
echo "samples: $OUT/result.json; log: $OUT/gateway.log"
