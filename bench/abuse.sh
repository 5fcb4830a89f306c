#!/usr/bin/env bash
# The abuse run of issue 18, one command: starts the whole system with ./run.sh (its supervision included, so a
# gateway that died would be restarted, and counted as a restart) on ports of its own and a fresh data folder,
# waits until it is ready, runs bench/abuse.py against the gateway for DURATION seconds, prints its summary (one
# JSON line, also kept in target/abuse/summary.json), and stops everything. Exits 1 when the run failed its pass
# conditions (see bench/abuse.py).
#
# Usage: bench/abuse.sh
# Settings (environment): PORT_BASE [28080] (the gateway; user-service +1, product-service +2; each actuator on its
# port + 1000), DURATION [150], and bench/abuse.py's (ATTACK_PRODUCTS, DESCRIPTION, AMPLIFIERS, STALLED, TRICKLED,
# SLOWLORIS, KEEPALIVE, GARBAGE, SIGN_IN, POOL, RSS_CAP_MB).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT_BASE=${PORT_BASE:-28080}
OUT=target/abuse
rm -rf "$OUT"
mkdir -p "$OUT"

export GATEWAY_PORT=$PORT_BASE USER_SERVICE_PORT=$((PORT_BASE + 1)) PRODUCT_SERVICE_PORT=$((PORT_BASE + 2))
export LOG_DIR=$PWD/$OUT/logs SHOP_STORE_EMBEDDED_PATH=$PWD/$OUT/data
./run.sh > "$OUT/run.out" 2>&1 &
run=$!
stop() { kill "$run" 2>/dev/null || true; wait "$run" 2>/dev/null || true; }
trap stop EXIT

until grep -q 'Press Ctrl-C to stop.' "$OUT/run.out"; do
  kill -0 "$run" 2>/dev/null || { echo "./run.sh stopped; its output:"; cat "$OUT/run.out"; exit 1; }
  sleep 2
done
echo "system ready (./run.sh output: $OUT/run.out); abusing the gateway for ${DURATION:-150} s..."

status=0
GATEWAY_LOG=$LOG_DIR/gateway.log MANAGEMENT=http://127.0.0.1:$((PORT_BASE + 1000)) \
  python3 bench/abuse.py "http://127.0.0.1:$PORT_BASE" > "$OUT/summary.json" || status=$?
cat "$OUT/summary.json"
if grep -q 'starting it again' "$OUT/run.out"; then
  echo "./run.sh restarted a process:"; grep 'starting it again' "$OUT/run.out"
fi
exit $status
