#!/usr/bin/env bash
# The benchmark of issue 7, one command: builds the jars if needed, installs wrk and hey if missing, starts
# user-service, product-service, the gateway, a second gateway fetching one document per call (the naive baseline), a
# third with its populate cache on (the others have it off) and a fourth sharing identical lookups in flight (the others
# do not) as separate JVMs on the in-memory embedded store, seeds data through the public APIs, measures the twelve
# scenarios with wrk (throughput, p50/p99) and hey -q (p99 at
# a fixed rate), counts backend calls per request from the services' metrics, measures each process's CPU per
# request (/proc/<pid>/stat around each measured wrk run), records each process's peak RSS, measures a cart write
# on the in-memory store and on the file store (the cost of a durable acknowledgement), times start-up as ./run.sh
# starts the services (each alone, then all three), runs the populate engine's JMH benchmark, optionally a soak, and writes
# BENCHMARKS.md and bench/chart.png. Stops every process it started on exit. Traffic goes to 127.0.0.1 only.
#
# Usage: bench/run.sh [--soak] [--no-jmh]
#
# Settings (environment, defaults in brackets):
#   DURATION [20s]      wrk measurement per scenario      WARMUP [20s]        wrk warm-up per scenario
#   CONNECTIONS [16]    wrk connections                   THREADS [2]         wrk threads
#   FIXED_RATE [auto]   hey's combined rate (req/s); auto = 30 % of scenario 3's wrk throughput (a moderate load)
#   HEY_WORKERS [10]    hey workers sharing that rate     WRK_TIMEOUT [10s]   wrk's timeout per request
#   HEY_DURATION [20s]  hey's run per fixed-rate scenario
#   SOAK [0]            1 = run the soak (as --soak)      SOAK_DURATION [120] seconds, SOAK_CONNECTIONS [64]
#   SOAK_SAMPLE [5]     seconds between RSS samples       SOAK_WARMUP [30]    seconds of the soak counted as warm-up
#   JMH_ARGS ["-f 1 -wi 5 -w 2s -i 5 -r 2s"]              the engine benchmark's JMH options
#   STARTUP_RUNS [3]    starts of each service alone, and of ./run.sh with all three, timed to readiness
#   ROUNDS [3]          measured runs of every wrk scenario, one round over all scenarios after another (the warm-up
#                       before the first only); each scenario's figures are those of its median round by CPU per request
#   BENCH_JVM_OPTS      JVM flags added to jvm.options' for the services (given to ./run.sh command as JAVA_OPTS)
#   PORT_BASE [19080]   gateway PORT_BASE, user-service +1, product-service +2, per-id gateway +3, cached gateway +4,
#                       sharing gateway +5;
#                       each process's actuator (readiness, metrics) on its port + 1000; the start-up runs use the
#                       first three
#   CACHE_TTL [1s]      the cached gateway's populate cache TTL (SHOP_POPULATE_CACHE_TTL; the others run with 0, off)
#   USERS [1000], PRODUCTS [5000], CART_ITEMS [5]         the data seeded (USERS >= 50 for 50 distinct owners a page)
#   SEED_THREADS [8]    concurrent seeding requests
#   BENCH_ARGON2_MEMORY_KIB [1024], BENCH_ARGON2_ITERATIONS [1]   user-service's password hash cost during the bench
#                       (the service's defaults are 16384 KiB, 2: only the seed hashes passwords, 2 x USERS times)
#   BENCH_JWT_TTL [2h]  lifetime of the access tokens the seed gets (scenarios 4 and 5 use one for the whole run)
#   the keys of ./run.sh keys (JWT_*, USER_SERVICE_*, PRODUCT_SERVICE_*, GATEWAY_* key pairs)   all, or none: then a
#                       fresh set is generated for the run, never written to disk; each process gets only its own
#                       private key (user-service also JWT_PRIVATE_KEY) and the public keys of the peers it trusts
set -euo pipefail
cd "$(dirname "$0")/.."

SOAK=${SOAK:-0}
RUN_JMH=1
for arg in "$@"; do
  case $arg in
    --soak) SOAK=1 ;;
    --no-jmh) RUN_JMH=0 ;;
    *) echo "unknown option $arg; usage: bench/run.sh [--soak] [--no-jmh]" >&2; exit 2 ;;
  esac
done
COMMAND="bench/run.sh $*"; COMMAND=${COMMAND% }

DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-20s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
FIXED_RATE=${FIXED_RATE:-auto}
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
HEY_WORKERS=${HEY_WORKERS:-10}
HEY_DURATION=${HEY_DURATION:-20s}
SOAK_DURATION=${SOAK_DURATION:-120}
SOAK_CONNECTIONS=${SOAK_CONNECTIONS:-64}
SOAK_SAMPLE=${SOAK_SAMPLE:-5}
SOAK_WARMUP=${SOAK_WARMUP:-30}
JMH_ARGS=${JMH_ARGS:-"-f 1 -wi 5 -w 2s -i 5 -r 2s"}
STARTUP_RUNS=${STARTUP_RUNS:-3}
ROUNDS=${ROUNDS:-3}
# The services' JVM flags: jvm.options, the file ./run.sh and the Docker image read too (each flag explained there;
# bench/NOTES.md has the memory profile behind them), then BENCH_JVM_OPTS if set. Each JVM also runs with
# MALLOC_ARENA_MAX=2 (fewer glibc malloc arenas).
JVM_OPTS="@jvm.options${BENCH_JVM_OPTS:+ $BENCH_JVM_OPTS}"
PORT_BASE=${PORT_BASE:-19080}
BENCH_ARGON2_MEMORY_KIB=${BENCH_ARGON2_MEMORY_KIB:-1024}
BENCH_ARGON2_ITERATIONS=${BENCH_ARGON2_ITERATIONS:-1}
BENCH_JWT_TTL=${BENCH_JWT_TTL:-2h}
GATEWAY_PORT=$PORT_BASE
USER_PORT=$((PORT_BASE + 1))
PRODUCT_PORT=$((PORT_BASE + 2))
NAIVE_PORT=$((PORT_BASE + 3))
CACHED_PORT=$((PORT_BASE + 4))
SHARED_PORT=$((PORT_BASE + 5))
CACHE_TTL=${CACHE_TTL:-1s}
# each process serves its actuator on a management port of its own: its port + 1000 (shop.management.port-offset)
management_port() { echo $(($1 + 1000)); }
HOST=127.0.0.1
RESULTS=target/bench
LOGS=$RESULTS/logs

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# --- tools -------------------------------------------------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v hey >/dev/null || need+=(hey)
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing ${need[*]}"
    apt-get install -y "${need[@]}" >/dev/null || { apt-get update >/dev/null && apt-get install -y "${need[@]}" >/dev/null; }
  else
    echo "missing ${need[*]}: run 'sudo apt-get install -y ${need[*]}' (Debian/Ubuntu packages) and try again" >&2
    exit 1
  fi
fi
for tool in java curl python3; do command -v $tool >/dev/null || { echo "$tool is required" >&2; exit 1; }; done

rm -rf "$RESULTS"; mkdir -p "$LOGS"

# --- keys: the access-token key pair and a key pair per process (every process refuses to start without its own) ---
KEY_VARIABLES=(JWT_PRIVATE_KEY JWT_PUBLIC_KEY USER_SERVICE_PRIVATE_KEY USER_SERVICE_PUBLIC_KEY
  PRODUCT_SERVICE_PRIVATE_KEY PRODUCT_SERVICE_PUBLIC_KEY GATEWAY_PRIVATE_KEY GATEWAY_PUBLIC_KEY)
missing_key=false
for variable in "${KEY_VARIABLES[@]}"; do [ -z "${!variable:-}" ] && missing_key=true; done
if $missing_key; then
  log "generating this run's keys (./run.sh keys)"
  keys=$(./run.sh keys)
  for variable in "${KEY_VARIABLES[@]}"; do
    printf -v "$variable" '%s' "$(sed -n "s/^$variable=//p" <<<"$keys")"
  done
  unset keys
fi
# The services run as ./run.sh runs them: the same JDK, jvm.options and start-up cache (./run.sh prepare builds what
# is stale and makes the caches; ./run.sh command <service> gives the command line), BENCH_JVM_OPTS added.
key_assignments=()
for variable in "${KEY_VARIABLES[@]}"; do key_assignments+=("$variable=${!variable}"); done
log "preparing the services' start (./run.sh prepare: build if stale, start-up caches)"
env "${key_assignments[@]}" LOG_DIR="$PWD/$LOGS" ./run.sh prepare
JAVA_BIN=$(JAVA_OPTS= ./run.sh command user-service | head -n 1)
# The naive baseline's gateway (scenarios 6 and 8) is the gateway built with the bench profile, which fetches one
# document per call (gateway/src/bench); it runs from its own jar, with the same JDK and jvm.options, no start-up cache.
log "building the naive baseline's gateway (-Pbench, gateway/target/per-id)"
./mvnw -B -q -Pbench -pl gateway -am package -DskipTests > "$RESULTS/per-id-build.txt" 2>&1 \
  || { tail -n 30 "$RESULTS/per-id-build.txt"; exit 1; }
PER_ID_JAR=$(find gateway/target/per-id -maxdepth 1 -name 'gateway-*.jar' | head -n 1)
service_command() {
  if [ "$1" = gateway-per-id ]; then
    printf '%s\n' "$JAVA_BIN" @jvm.options ${BENCH_JVM_OPTS:-} -jar "$PER_ID_JAR"
  else
    JAVA_OPTS="${BENCH_JVM_OPTS:-}" ./run.sh command "$1"
  fi
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- processes ---------------------------------------------------------------------------------------
declare -A PIDS=()
stop_all() {
  trap - INT TERM EXIT
  for name in "${!PIDS[@]}"; do kill "${PIDS[$name]}" 2>/dev/null || true; done
  for name in "${!PIDS[@]}"; do wait "${PIDS[$name]}" 2>/dev/null || true; done
  [ -n "${SAMPLER:-}" ] && kill "$SAMPLER" 2>/dev/null || true
  PIDS=()
}
trap stop_all INT TERM EXIT
stop_one() { # name
  kill "${PIDS[$1]}" 2>/dev/null || true
  wait "${PIDS[$1]}" 2>/dev/null || true
  unset "PIDS[$1]"
}
# the CPU time every process started here has used so far, as JSON {name: ms}
cpu_snapshot() {
  local named=() name
  for name in "${!PIDS[@]}"; do named+=("$name=${PIDS[$name]}"); done
  python3 bench/bench.py cpu "${named[@]}"
}

start() { # name module port [extra env assignments...]
  local name=$1 module=$2 port=$3; shift 3
  # every process verifies access tokens (public key); the private keys are never inherited: each process gets
  # its own (as SERVICE_PRIVATE_KEY; user-service also JWT_PRIVATE_KEY) and the public keys of the peers it trusts
  local own_keys command
  mapfile -t command < <(service_command "$module")
  case $module in
    user-service) own_keys=(JWT_PRIVATE_KEY="$JWT_PRIVATE_KEY" SERVICE_PRIVATE_KEY="$USER_SERVICE_PRIVATE_KEY"
                    PRODUCT_SERVICE_PUBLIC_KEY="$PRODUCT_SERVICE_PUBLIC_KEY" GATEWAY_PUBLIC_KEY="$GATEWAY_PUBLIC_KEY") ;;
    product-service) own_keys=(SERVICE_PRIVATE_KEY="$PRODUCT_SERVICE_PRIVATE_KEY" USER_SERVICE_PUBLIC_KEY="$USER_SERVICE_PUBLIC_KEY") ;;
    gateway|gateway-per-id) own_keys=(SERVICE_PRIVATE_KEY="$GATEWAY_PRIVATE_KEY") ;;
  esac
  env -u JWT_PRIVATE_KEY -u MANAGEMENT_PORT -u USER_SERVICE_PRIVATE_KEY -u PRODUCT_SERVICE_PRIVATE_KEY -u GATEWAY_PRIVATE_KEY \
      MALLOC_ARENA_MAX=2 SHOP_STORE_EMBEDDED_BACKEND=memory PORT="$port" USER_SERVICE_URL="http://$HOST:$USER_PORT" \
      PRODUCT_SERVICE_URL="http://$HOST:$PRODUCT_PORT" JWT_PUBLIC_KEY="$JWT_PUBLIC_KEY" "${own_keys[@]}" "$@" \
      "${command[@]}" --server.address=$HOST > "$LOGS/$name.log" 2>&1 &
  PIDS[$name]=$!
  log "started $name (pid ${PIDS[$name]}) on $HOST:$port"
}

exited() { # name: the process started as name has exited; show why and stop
  local rc=0
  wait "${PIDS[$1]}" || rc=$?
  echo "$1 (pid ${PIDS[$1]}) exited with $rc; its log ends:" >&2; tail -n 30 "$LOGS/$1.log" >&2; exit 1
}

await_ready() { # name port
  local deadline=$((SECONDS + 300))
  until curl -fsS -o /dev/null "http://$HOST:$(management_port "$2")/actuator/health/readiness" 2>/dev/null; do
    kill -0 "${PIDS[$1]}" 2>/dev/null || exited "$1"
    [ $SECONDS -lt $deadline ] || { echo "$1 not ready in 300 s" >&2; exit 1; }
    sleep 1
  done
  # The answer must come from the process started here: another run on the same ports (started at the same time,
  # so the port check below missed it) would answer for a process of ours that failed to bind, and be seeded and
  # measured instead.
  kill -0 "${PIDS[$1]}" 2>/dev/null || exited "$1"
  if command -v ss >/dev/null && ! ss -ltnpH "sport = :$2" 2>/dev/null | grep -q "pid=${PIDS[$1]},"; then
    echo "$HOST:$2 answers, but not from $1 (pid ${PIDS[$1]}): another process holds the port; set PORT_BASE" >&2
    exit 1
  fi
}

ensure_free() { # port...: each with its management port
  local service_port port
  for service_port in "$@"; do
    for port in "$service_port" "$(management_port "$service_port")"; do
      if curl -s -o /dev/null "http://$HOST:$port/" 2>/dev/null \
          || { command -v ss >/dev/null && [ -n "$(ss -ltnH "sport = :$port" 2>/dev/null)" ]; }; then
        echo "port $port is taken; set PORT_BASE" >&2; exit 1
      fi
    done
  done
}
ensure_free "$GATEWAY_PORT" "$USER_PORT" "$PRODUCT_PORT" "$NAIVE_PORT" "$CACHED_PORT" "$SHARED_PORT"

start user-service user-service $USER_PORT SHOP_SECURITY_JWT_TTL="$BENCH_JWT_TTL" \
  SHOP_AUTH_PASSWORD_MEMORY="$BENCH_ARGON2_MEMORY_KIB" SHOP_AUTH_PASSWORD_ITERATIONS="$BENCH_ARGON2_ITERATIONS"
start product-service product-service $PRODUCT_PORT
# The gateways run with the populate cache off and without sharing lookups in flight (both are on by default), so that
# their figures compare with runs from before them; the cached gateway, with the cache on, serves scenario 9, and the
# sharing gateway, with sharing on and the cache off, scenario 10.
NOT_SHARED=SHOP_POPULATE_SHARE_IN_FLIGHT_LOOKUPS=false
start gateway gateway $GATEWAY_PORT SHOP_POPULATE_CACHE_TTL=0 $NOT_SHARED
# The naive baseline: the same gateway, fetching one id per call. Its guards are widened so that it does populate
# under load instead of refusing: the default bulkhead (200 calls) would refuse most of the 50 calls per request
# of every connection, and its slow calls would trip the 1 s time limit and then the circuit breaker, which makes
# the naive way look cheap by not doing the work (the run counts such responses as "unresolved").
# The same for the bulkhead of populate lookups (64 in flight per backend, for the batched way), and for both
# backends: scenario 6 asks user-service once per owner, scenario 8 product-service once per user of the page.
NAIVE_GUARDS=
for backend in user-service product-service; do
  NAIVE_GUARDS+=" -Dresilience4j.bulkhead.instances.$backend.max-concurrent-calls=5000"
  NAIVE_GUARDS+=" -Dresilience4j.timelimiter.instances.$backend.timeout-duration=10s"
  NAIVE_GUARDS+=" -Dresilience4j.circuitbreaker.instances.$backend.failure-rate-threshold=100"
  NAIVE_GUARDS+=" -Dresilience4j.bulkhead.instances.$backend-populate.max-concurrent-calls=5000"
done
start gateway-per-id gateway-per-id $NAIVE_PORT SHOP_POPULATE_BUDGET=10s JAVA_TOOL_OPTIONS="$NAIVE_GUARDS" \
  SHOP_POPULATE_CACHE_TTL=0 $NOT_SHARED
start gateway-cached gateway $CACHED_PORT SHOP_POPULATE_CACHE_TTL="$CACHE_TTL" $NOT_SHARED
start gateway-shared gateway $SHARED_PORT SHOP_POPULATE_CACHE_TTL=0
for entry in user-service:$USER_PORT product-service:$PRODUCT_PORT gateway:$GATEWAY_PORT gateway-per-id:$NAIVE_PORT \
    gateway-cached:$CACHED_PORT gateway-shared:$SHARED_PORT; do
  await_ready "${entry%%:*}" "${entry##*:}"
done
log "all ready"
# the JVM settings the services run with here, to compare with ./run.sh's
python3 bench/bench.py flags "$RESULTS/flags-bench.json" "${PIDS[user-service]}" "${PIDS[product-service]}" "${PIDS[gateway]}"

# --- data --------------------------------------------------------------------------------------------
log "seeding ${USERS:-1000} users, ${PRODUCTS:-5000} products, carts of ${CART_ITEMS:-5}"
python3 bench/bench.py seed "http://$HOST:$USER_PORT" "http://$HOST:$PRODUCT_PORT" "$RESULTS/seed.json" "$RESULTS/token"
CART_USER=$(python3 -c "import json; print(json.load(open('$RESULTS/seed.json'))['cartUser'])")
# the access token of that user: scenarios 4 and 5 read the user's own cart through the gateway, which needs it, and
# 7 and 8 a page of users, which any signed-in caller may list
CART_TOKEN=$(cat "$RESULTS/token")

PAGE="page=0&size=50"
# a page of 20 users, each with up to 3 of their own products (a reverse reference, issue 13): the brackets and the
# '=' in the populate value percent-encoded, as a client sends them
USERS_PAGE="page=0&size=20&populate=products%5Blimit%3D3%5D"
# the filtered pages of issue 21 (a semi-join across the services): products whose owner's name starts with
# "Bench User 00" (the first 100 users), and users with at least one product priced 450 or more; each expects the
# number of matches the seed made (bench.py seed: product i owned by user i mod USERS, priced i mod 500 + 0.99)
FORWARD_FILTER="userId.name=prefix.Bench%20User%2000"
REVERSE_FILTER="products.price=gte.450"
read -r FORWARD_TOTAL REVERSE_TOTAL < <(python3 -c "
u, p = ${USERS:-1000}, ${PRODUCTS:-5000}
print(sum(1 for i in range(p) if i % u < 100), len({i % u for i in range(p) if i % 500 >= 450}))")
# "optional": the scenarios of issue 13's features; one whose first request does not answer 2xx with what it measures
# (e.g. 400 from a gateway without reverse references) is reported as not measured instead of stopping the run.
# "expect": the field each element of the answer's page must have as an array.
cat > "$RESULTS/scenarios.json" <<JSON
[
 {"id": 1, "short": "1 direct", "name": "product-service directly, a page of 50", "url": "http://$HOST:$PRODUCT_PORT/products?$PAGE",
  "processes": ["product-service"]},
 {"id": 2, "short": "2 gateway", "name": "through the gateway, no populate", "url": "http://$HOST:$GATEWAY_PORT/api/products?$PAGE",
  "processes": ["gateway", "product-service"]},
 {"id": 3, "short": "3 userId", "name": "gateway, populate=userId (50 owners)", "url": "http://$HOST:$GATEWAY_PORT/api/products?$PAGE&populate=userId",
  "processes": ["gateway", "product-service", "user-service"]},
 {"id": 4, "short": "4 cart", "name": "gateway, a user, populate=cart.items.productId", "url": "http://$HOST:$GATEWAY_PORT/api/users/$CART_USER?populate=cart.items.productId", "auth": true,
  "processes": ["gateway", "user-service", "product-service"]},
 {"id": 5, "short": "5 nested", "name": "gateway, a user, populate=cart.items.productId.userId", "url": "http://$HOST:$GATEWAY_PORT/api/users/$CART_USER?populate=cart.items.productId.userId", "auth": true,
  "processes": ["gateway", "user-service", "product-service"]},
 {"id": 6, "short": "6 per-id", "name": "as 3, one call per id (naive)", "url": "http://$HOST:$NAIVE_PORT/api/products?$PAGE&populate=userId",
  "processes": ["gateway-per-id", "product-service", "user-service"]},
 {"id": 7, "short": "7 products", "name": "gateway, 20 users, populate=products[limit=3]", "url": "http://$HOST:$GATEWAY_PORT/api/users?$USERS_PAGE", "auth": true,
  "expect": "products", "optional": true, "processes": ["gateway", "user-service", "product-service"]},
 {"id": 8, "short": "8 per-user", "name": "as 7, one call per user (naive)", "url": "http://$HOST:$NAIVE_PORT/api/users?$USERS_PAGE", "auth": true,
  "expect": "products", "optional": true, "processes": ["gateway-per-id", "user-service", "product-service"]},
 {"id": 9, "short": "9 cached 3", "name": "as 3, populate cache on (TTL $CACHE_TTL)", "url": "http://$HOST:$CACHED_PORT/api/products?$PAGE&populate=userId",
  "optional": true, "processes": ["gateway-cached", "product-service", "user-service"]},
 {"id": 10, "short": "10 shared 3", "name": "as 3, identical lookups in flight shared", "url": "http://$HOST:$SHARED_PORT/api/products?$PAGE&populate=userId",
  "optional": true, "processes": ["gateway-shared", "product-service", "user-service"]},
 {"id": 11, "short": "11 userId.name", "name": "gateway, products filtered by their owner's name ($FORWARD_TOTAL match)", "url": "http://$HOST:$GATEWAY_PORT/api/products?$PAGE&$FORWARD_FILTER",
  "total": $FORWARD_TOTAL, "optional": true, "processes": ["gateway", "user-service", "product-service"]},
 {"id": 12, "short": "12 products.price", "name": "gateway, users filtered by their products' price ($REVERSE_TOTAL match)", "url": "http://$HOST:$GATEWAY_PORT/api/users?page=0&size=20&$REVERSE_FILTER", "auth": true,
  "total": $REVERSE_TOTAL, "optional": true, "processes": ["gateway", "product-service", "user-service"]}
]
JSON
scenario_field() { # id field: the field of a scenario, empty if it has none
  python3 -c "import json; print(next(s for s in json.load(open('$RESULTS/scenarios.json')) if s['id'] == $1).get('$2') or '')"
}
url_of() { scenario_field "$1" url; }
# the request headers of a scenario, into the array AUTH: the user's token where the scenario reads a user's own data
# (or a list only a signed-in caller may read)
auth_of() {
  AUTH=()
  if [ -n "$(scenario_field "$1" auth)" ]; then AUTH=(-H "Authorization: Bearer $CART_TOKEN"); fi
}
# the log of the gateway serving a scenario (its first process; scenario 1 has none and reads the gateway's)
gateway_log_of() {
  local first; first=$(python3 -c "import json; print(next(s for s in json.load(open('$RESULTS/scenarios.json')) if s['id'] == $1)['processes'][0])")
  case $first in gateway*) echo "$LOGS/$first.log" ;; *) echo "$LOGS/gateway.log" ;; esac
}
# warnings of lookups that failed or ran out of budget: responses populated only in part
populate_warnings() { grep -cE 'Fetching .* failed|Populate budget spent' "$1" || true; }

# each scenario's first request: a scenario of the bench's own that fails stops the run, an optional one is left out
MEASURED=()
for id in $(python3 -c "import json; print(' '.join(str(s['id']) for s in json.load(open('$RESULTS/scenarios.json'))))"); do
  if python3 bench/bench.py probe "$RESULTS/scenarios.json" "$id" "$RESULTS/token" "$RESULTS/probe-$id.json" >/dev/null; then
    MEASURED+=("$id")
  elif [ -n "$(scenario_field "$id" optional)" ]; then
    log "scenario $id: $(url_of "$id") answers $(cat "$RESULTS/probe-$id.json"): not measured"
  else
    echo "scenario $id: $(url_of "$id") does not answer 2xx: $(cat "$RESULTS/probe-$id.json")" >&2; exit 1
  fi
done
# scenario 10 must answer what 3 answers (the same page, the same owners, nothing written meanwhile): one request each
if [ -n "$(curl -s "$(url_of 10)")" ] && [ "$(curl -s "$(url_of 3)" | sha256sum)" = "$(curl -s "$(url_of 10)" | sha256sum)" ]; then
  echo '{"same": true}' > "$RESULTS/same-10.json"
else
  echo '{"same": false}' > "$RESULTS/same-10.json"
fi

# --- wrk: throughput and latency ----------------------------------------------------------------------
# the services' request counts, from their metrics on their management ports
backends=("user-service=http://$HOST:$(management_port $USER_PORT)" "product-service=http://$HOST:$(management_port $PRODUCT_PORT)")
for round in $(seq "$ROUNDS"); do
for id in "${MEASURED[@]}"; do
  url=$(url_of $id); auth_of $id; r=$id.r$round
  with=; [ ${#AUTH[@]} -gt 0 ] && with=" (with that user's access token)"
  # the populate cache's hits and misses, of the cached gateway's scenario
  cache_url=; [ "$(gateway_log_of $id)" = "$LOGS/gateway-cached.log" ] && cache_url="http://$HOST:$(management_port $CACHED_PORT)"
  if [ "$round" = 1 ]; then
    log "scenario $id: warm-up $WARMUP, then $DURATION at $CONNECTIONS connections (round 1 of $ROUNDS): $url$with"
    WRK_OUT=/dev/null wrk --timeout "$WRK_TIMEOUT" -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" ${AUTH[@]+"${AUTH[@]}"} \
      -s bench/done.lua "$url" >/dev/null
  else
    log "scenario $id: $DURATION at $CONNECTIONS connections (round $round of $ROUNDS)"
  fi
  before=$(python3 bench/bench.py calls "${backends[@]}")
  warnings_before=$(populate_warnings "$(gateway_log_of $id)")
  cache_before='{}'; [ -n "$cache_url" ] && cache_before=$(python3 bench/bench.py cache "$cache_url")
  cpu_before=$(cpu_snapshot)
  WRK_OUT="$RESULTS/wrk-$r.json" wrk --timeout "$WRK_TIMEOUT" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
    ${AUTH[@]+"${AUTH[@]}"} -s bench/done.lua "$url" > "$RESULTS/wrk-$r.txt"
  cpu_after=$(cpu_snapshot)
  python3 bench/bench.py cpu-window "$RESULTS/wrk-$r.json" "$cpu_before" "$cpu_after" > "$RESULTS/cpu-$r.json"
  after=$(python3 bench/bench.py calls "${backends[@]}")
  cache_after='{}'; [ -n "$cache_url" ] && cache_after=$(python3 bench/bench.py cache "$cache_url")
  warnings_after=$(populate_warnings "$(gateway_log_of $id)")
  python3 - "$RESULTS/wrk-$r.json" "$before" "$after" "$((warnings_after - warnings_before))" "$cache_before" "$cache_after" \
      > "$RESULTS/calls-$r.json" <<'PY'
import json, sys
w = json.load(open(sys.argv[1])); before, after = json.loads(sys.argv[2]), json.loads(sys.argv[3])
requests = max(1, w["requests"])
by = {name: after[name] - before[name] for name in after}
cache_before, cache_after = json.loads(sys.argv[5]), json.loads(sys.argv[6])
cache = {k: cache_after[k] - cache_before[k] for k in ("hits", "misses")} if cache_before and cache_after else None
print(json.dumps({"backend": sum(by.values()), "requests": w["requests"], "perRequest": sum(by.values()) / requests,
                  "perRequestBy": {name: n / requests for name, n in by.items()}, "unresolvedWarnings": int(sys.argv[4]),
                  "cache": cache}))
PY
  log "  $(cat "$RESULTS/wrk-$r.json")"
  log "  backend calls: $(cat "$RESULTS/calls-$r.json")"
  log "  CPU per request (ms): $(python3 -c "import json; print(json.dumps({k: round(v, 2) for k, v in json.load(open('$RESULTS/cpu-$r.json'))['perRequest'].items()}))")"
done
done
# each scenario's figures: those of its median round (wrk-<id>.json, cpu-<id>.json, calls-<id>.json)
python3 bench/bench.py median "$RESULTS" "$ROUNDS" "${MEASURED[@]}"

# --- hey: p99 at a fixed moderate rate -----------------------------------------------------------------
if [ "$FIXED_RATE" = auto ]; then
  FIXED_RATE=$(python3 -c "import json; print(max($HEY_WORKERS, int(json.load(open('$RESULTS/wrk-3.json'))['rps'] * 0.3)))")
fi
per_worker=$(( (FIXED_RATE + HEY_WORKERS - 1) / HEY_WORKERS ))
rate=$((per_worker * HEY_WORKERS))
for id in 1 3; do
  log "scenario $id at a fixed $rate req/s for $HEY_DURATION (hey, $HEY_WORKERS workers x $per_worker req/s)"
  auth_of $id
  hey -z "$HEY_DURATION" -c "$HEY_WORKERS" -q "$per_worker" ${AUTH[@]+"${AUTH[@]}"} "$(url_of $id)" > "$RESULTS/hey-$id.txt"
  python3 bench/bench.py hey "$RESULTS/hey-$id.txt" "$rate" "$RESULTS/hey-$id.json" >/dev/null
  log "  $(cat "$RESULTS/hey-$id.json")"
done

# --- soak ----------------------------------------------------------------------------------------------
if [ "$SOAK" = 1 ]; then
  log "soak: scenario 3, ${SOAK_DURATION}s at $SOAK_CONNECTIONS connections, RSS every ${SOAK_SAMPLE}s"
  warnings_before=$(populate_warnings "$LOGS/gateway.log")
  WRK_OUT="$RESULTS/soak-wrk.json" wrk --timeout "$WRK_TIMEOUT" -t"$THREADS" -c"$SOAK_CONNECTIONS" -d"${SOAK_DURATION}s" --latency \
    -s bench/done.lua "$(url_of 3)" > "$RESULTS/soak-wrk.txt" &
  WRK_PID=$!
  : > "$RESULTS/soak-rss.jsonl"
  start_time=$SECONDS
  while kill -0 $WRK_PID 2>/dev/null && [ $((SECONDS - start_time)) -le $((SOAK_DURATION + 30)) ]; do
    echo "{\"t\": $((SECONDS - start_time)), \"rss\": $(python3 bench/bench.py rss "${PIDS[user-service]}" "${PIDS[product-service]}" "${PIDS[gateway]}")}" \
      >> "$RESULTS/soak-rss.jsonl"
    sleep "$SOAK_SAMPLE"
  done
  wait $WRK_PID
  warnings=$(( $(populate_warnings "$LOGS/gateway.log") - warnings_before ))
  python3 - "$RESULTS" "$SOAK_WARMUP" "$SOAK_SAMPLE" "$SOAK_DURATION" "$SOAK_CONNECTIONS" "$warnings" \
    "${PIDS[user-service]}=user-service" "${PIDS[product-service]}=product-service" "${PIDS[gateway]}=gateway" > "$RESULTS/soak.json" <<'PY'
import json, sys
results, warmup, sample, duration, connections, warnings = sys.argv[1:7]
names = dict(a.split("=") for a in sys.argv[7:])
w = json.load(open(f"{results}/soak-wrk.json"))
samples = [json.loads(l) for l in open(f"{results}/soak-rss.jsonl")]
after = [s for s in samples if s["t"] >= int(warmup)]
rss = {}
for pid, name in names.items():
    series = [s["rss"][pid]["VmRSS"] for s in after]
    rss[name] = {"first": series[0], "min": min(series), "max": max(series), "last": series[-1],
                 "growthPct": (max(series) - series[0]) / series[0] * 100}
print(json.dumps({"duration": f"{int(duration)} s", "connections": int(connections), "requests": w["requests"],
                  "rps": w["rps"], "p99_ms": w["p99_ms"], "errors": w["errors"], "unresolvedWarnings": int(warnings),
                  "sampleSeconds": int(sample), "samples": len(samples), "warmupSeconds": int(warmup), "rss": rss}))
PY
  log "  $(cat "$RESULTS/soak.json")"
fi

# --- the write scenario: what a durable acknowledgement costs ---------------------------------------------------
# A cart write, PUT /users/{id}/cart/items/{productId} with a new quantity each time, straight to user-service with
# the user's own token (user-service reads the user, asks product-service whether the product exists, then updates
# the document): first on the in-memory store, then on a user-service of its own on the file store, which commits
# every write to its file before it answers (shop-store-embedded's CommittingH2Backend). Each writes as a user of its own.
write_scenario() { # store: memory | file
  local store=$1 url token cpu_before cpu_after
  python3 bench/bench.py writer "http://$HOST:$USER_PORT" "http://$HOST:$PRODUCT_PORT" "$RESULTS/writer-$store.json" \
    "$RESULTS/writer-token-$store"
  url="http://$HOST:$USER_PORT$(python3 -c "import json; print(json.load(open('$RESULTS/writer-$store.json'))['path'])")"
  token=$(cat "$RESULTS/writer-token-$store")
  log "write scenario, $store store: warm-up $WARMUP, then $DURATION at $CONNECTIONS connections: PUT $url (that user's token)"
  WRITE_TOKEN=$token WRK_OUT=/dev/null wrk --timeout "$WRK_TIMEOUT" -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" \
    -s bench/write.lua "$url" >/dev/null
  cpu_before=$(cpu_snapshot)
  WRITE_TOKEN=$token WRK_OUT="$RESULTS/wrk-write-$store.json" wrk --timeout "$WRK_TIMEOUT" -t"$THREADS" -c"$CONNECTIONS" \
    -d"$DURATION" --latency -s bench/write.lua "$url" > "$RESULTS/wrk-write-$store.txt"
  cpu_after=$(cpu_snapshot)
  python3 bench/bench.py cpu-window "$RESULTS/wrk-write-$store.json" "$cpu_before" "$cpu_after" > "$RESULTS/cpu-write-$store.json"
  log "  $(cat "$RESULTS/wrk-write-$store.json")"
  log "  CPU per write (ms): $(python3 -c "import json; print(json.dumps({k: round(v, 2) for k, v in json.load(open('$RESULTS/cpu-write-$store.json'))['perRequest'].items()}))")"
}
write_scenario memory

# --- memory, then stop the services ---------------------------------------------------------------------
python3 - "$RESULTS/rss.json" "${PIDS[user-service]}=user-service" "${PIDS[product-service]}=product-service" \
  "${PIDS[gateway]}=gateway" "${PIDS[gateway-per-id]}=gateway (per-id)" "${PIDS[gateway-cached]}=gateway (cached)" \
  "${PIDS[gateway-shared]}=gateway (shared)" <<'PY'
import json, sys
out = {}
for arg in sys.argv[2:]:
    pid, name = arg.split("=", 1)
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            out[name] = {"VmHWM": round(int(line.split()[1]) / 1024, 1)}
json.dump(out, open(sys.argv[1], "w"))
PY
log "peak RSS: $(cat "$RESULTS/rss.json")"

# the write scenario on the file store: user-service restarted on it, in a directory of this run (on disk)
stop_one user-service
mkdir -p "$RESULTS/file-store"
start user-service-file user-service $USER_PORT SHOP_STORE_EMBEDDED_BACKEND=file SHOP_STORE_EMBEDDED_PATH="$PWD/$RESULTS/file-store" \
  SHOP_SECURITY_JWT_TTL="$BENCH_JWT_TTL" SHOP_AUTH_PASSWORD_MEMORY="$BENCH_ARGON2_MEMORY_KIB" SHOP_AUTH_PASSWORD_ITERATIONS="$BENCH_ARGON2_ITERATIONS"
await_ready user-service-file $USER_PORT
write_scenario file
stop_all
trap stop_all INT TERM EXIT
log "services stopped"

# --- start-up, as ./run.sh starts the services ---------------------------------------------------------------
# Each service alone (./run.sh with RUN_ONLY and this run's keys), then all three (./run.sh as a user runs it: it
# generates its keys first), STARTUP_RUNS times each, on the file store (run.sh's default) in an empty directory.
# Ready is readiness UP on the management port, polled every 100 ms; times are from launching ./run.sh.
now_us() { local t=$EPOCHREALTIME; echo "${t//[.,]/}"; }
declare -A PORT_OF=([user-service]=$USER_PORT [product-service]=$PRODUCT_PORT [gateway]=$GATEWAY_PORT)
time_start() { # label run service...
  local label=$1 run=$2; shift 2
  local dir="$RESULTS/startup/$label-$run" service t0 launched=null deadline=$((SECONDS + 600)) pid settle
  local -A ready=()
  local launch=(env -u JAVA_OPTS -u RUN_ONLY -u MANAGEMENT_PORT -u MANAGEMENT_ADDRESS -u MONGODB_URI
    -u SHOP_STORE_EMBEDDED_BACKEND)
  for variable in "${KEY_VARIABLES[@]}"; do launch+=(-u "$variable"); done
  launch+=(USER_SERVICE_PORT="$USER_PORT" PRODUCT_SERVICE_PORT="$PRODUCT_PORT" GATEWAY_PORT="$GATEWAY_PORT"
    SERVER_ADDRESS="$HOST" SHOP_STORE_EMBEDDED_PATH="$PWD/$dir/store" LOG_DIR="$PWD/$dir" READY_TIMEOUT=600)
  if [ $# -lt 3 ]; then
    launch+=(RUN_ONLY="$*")
    for variable in "${KEY_VARIABLES[@]}"; do launch+=("$variable=${!variable}"); done
  fi
  ensure_free "$USER_PORT" "$PRODUCT_PORT" "$GATEWAY_PORT"
  mkdir -p "$dir/store"
  : > "$dir/run.out"
  t0=$(now_us)
  "${launch[@]}" ./run.sh >> "$dir/run.out" 2>&1 &
  pid=$!
  PIDS[run-sh]=$pid
  while [ ${#ready[@]} -lt $# ]; do
    if [ $launched = null ] && grep -q '^Starting ' "$dir/run.out"; then launched=$(($(now_us) - t0)); fi
    for service in "$@"; do
      if [ -z "${ready[$service]:-}" ] && curl -fs -o /dev/null --max-time 2 \
          "http://$HOST:$(management_port "${PORT_OF[$service]}")/actuator/health/readiness"; then
        ready[$service]=$(($(now_us) - t0))
      fi
    done
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "./run.sh ($label, start $run) exited before its services were ready; its output ends:" >&2
      tail -n 30 "$dir/run.out" >&2; exit 1
    fi
    [ $SECONDS -lt $deadline ] || { echo "./run.sh ($label, start $run): not ready in 600 s; see $dir" >&2; exit 1; }
    sleep 0.1
  done
  [ "$label" = all ] && [ "$run" = 1 ] && python3 bench/bench.py flags "$RESULTS/flags-run.json" "$pid"
  # let run.sh see them ready too (it checks every second), so that it stops them from its wait, then stop it
  settle=$((SECONDS + 3))
  until grep -q 'Press Ctrl-C' "$dir/run.out" || [ $SECONDS -ge $settle ]; do sleep 0.1; done
  stop_one run-sh
  local fields=()
  for service in "$@"; do fields+=("\"$service\": ${ready[$service]}"); done
  echo "{\"label\": \"$label\", \"run\": $run, \"launchedUs\": $launched, \"readyUs\": {$(IFS=,; echo "${fields[*]}")}}" \
    >> "$RESULTS/startup.jsonl"
  log "  $label, start $run: $(tail -n 1 "$RESULTS/startup.jsonl")"
}
: > "$RESULTS/startup.jsonl"
for run in $(seq "$STARTUP_RUNS"); do
  for service in user-service product-service gateway; do
    log "start-up: $service alone (./run.sh), start $run of $STARTUP_RUNS"
    time_start "$service" "$run" "$service"
  done
done
for run in $(seq "$STARTUP_RUNS"); do
  log "start-up: ./run.sh, all three, start $run of $STARTUP_RUNS"
  time_start all "$run" user-service product-service gateway
done

# --- JMH: the engine's own work --------------------------------------------------------------------------
if [ "$RUN_JMH" = 1 ]; then
  log "JMH: populate engine on a 50-item page ($JMH_ARGS)"
  # the gateway depends on the shared modules: put them (and the parent pom) in the local repository for -pl gateway
  ./mvnw -B -q -pl gateway -am install -DskipTests > "$RESULTS/jmh-install.txt" 2>&1 \
    || { tail -n 30 "$RESULTS/jmh-install.txt"; exit 1; }
  ./mvnw -B -q -pl gateway -Pjmh -DskipTests test-compile exec:exec \
    -Djmh.args="$JMH_ARGS -rf json -rff $PWD/$RESULTS/jmh.json" > "$RESULTS/jmh.txt" 2>&1 \
    || { tail -n 30 "$RESULTS/jmh.txt"; exit 1; }
  grep -A8 '^Benchmark' "$RESULTS/jmh.txt" || true
fi

# --- report and chart ------------------------------------------------------------------------------------
python3 - "$RESULTS/env.json" <<PY
import json, sys
json.dump({"jvmOpts": "$JVM_OPTS", "java": "$JAVA_BIN", "startupRuns": "$STARTUP_RUNS", "rounds": "$ROUNDS", "threads": "$THREADS", "connections": "$CONNECTIONS", "duration": "$DURATION",
           "warmup": "$WARMUP", "heyWorkers": "$HEY_WORKERS", "fixedRate": "$rate", "heyDuration": "$HEY_DURATION",
           "jmhSettings": "JMH options \`$JMH_ARGS\`" if "$RUN_JMH" == "1" else "Not run this time",
           "cacheTtl": "$CACHE_TTL", "argon2": "m=$BENCH_ARGON2_MEMORY_KIB KiB, t=$BENCH_ARGON2_ITERATIONS", "jwtTtl": "$BENCH_JWT_TTL",
           "loadBefore": "$LOAD_BEFORE", "loadAfter": open("/proc/loadavg").read().split()[:3]}, open(sys.argv[1], "w"))
PY
python3 bench/bench.py report "$RESULTS" BENCHMARKS.md "$COMMAND"
gnuplot -e "datafile='$RESULTS/chart.dat'; outfile='bench/chart.png'" bench/chart.gp
log "wrote BENCHMARKS.md and bench/chart.png (raw results in $RESULTS)"
