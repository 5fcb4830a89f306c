#!/usr/bin/env bash
# Starts the whole system locally on the embedded store: builds what is missing or stale, starts every
# service the repo has, waits until each is ready, prints the URLs, and stops them all on Ctrl-C.
#
# Settings (environment): USER_SERVICE_PORT (8081), PRODUCT_SERVICE_PORT (8082), GATEWAY_PORT (8080),
# READY_TIMEOUT (300: how many seconds the processes have, together, to become ready), RUN_ONLY (names of the
# services to start, space-separated; all when unset: the benchmark times each service's start-up alone with it),
# JAVA_HOME (the JDK; unset: a JDK 25+ under /usr/lib/jvm if there is one, for its AOT cache, else java on the PATH),
# NO_BUILD (set: never build, use the jars there are: the end-to-end tests, run by the build that made them),
# SHOP_STORE_EMBEDDED_PATH (./data, the embedded store's files), SHOP_STORE_EMBEDDED_BACKEND (file | memory), MONGODB_URI (use a real
# MongoDB instead of the embedded store), JAVA_OPTS; the keys of ./run.sh keys: JWT_PRIVATE_KEY, JWT_PUBLIC_KEY
# and each service's key pair, USER_SERVICE_PRIVATE_KEY / USER_SERVICE_PUBLIC_KEY, PRODUCT_SERVICE_..., GATEWAY_...
# (all of them, or none: then a fresh set is generated at every start, so tokens do not outlive a restart).
# Each process gets only its own private key (as SERVICE_PRIVATE_KEY) and the public keys it needs.
# Each process serves its actuator (health, metrics) on its own management port, its port + 1000 (9081,
# 9082, 9080), on 127.0.0.1 only (MANAGEMENT_ADDRESS changes that for all).
# Every process runs with the JVM flags of jvm.options, from its jar extracted into <service>/target/fast with a
# class cache made by a training run (see prepare_fast_start).
# Supervision: a process that dies once it has been ready (a crash, kill -9, an OutOfMemoryError) is started again,
# after a pause of 1 s that doubles, up to RESTART_MAX_DELAY (30 s), while it keeps dying, and is back to 1 s once
# it has stayed up RESTART_RESET_AFTER (60 s); the output says which process, how it ended (exit status, signal,
# OutOfMemoryError), the end of its log and the restart count, and when it is ready again. A process that exits
# before it was ever ready stops ./run.sh instead (a setting or a port to fix, not a crash to repeat). Ctrl-C stops
# every process, with no restart.
#
# ./run.sh keys   prints a fresh set of keys as KEY=value lines (for docker compose: ./run.sh keys > .env)
set -euo pipefail
cd "$(dirname "$0")"

# Fresh RSA key pairs: one signs and verifies access tokens (JWT_*), and one per process signs its service tokens
# (<SERVICE>_PRIVATE_KEY) and lets its peers check them (<SERVICE>_PUBLIC_KEY); base64 of the DER encodings Java
# reads (PKCS#8, X.509). With openssl, the four pairs are made side by side (~0.2 s; the JDK's source launcher
# takes ~1-2 s to compile and run its program, the whole wait of a first start); without it, with the JDK.
KEY_NAMES=(JWT USER_SERVICE PRODUCT_SERVICE GATEWAY)
openssl_pair() { # name: its two lines, each written at once (a line shorter than a pipe's buffer is never mixed)
  local pem private public
  pem=$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null) || return 0
  private=$(openssl pkcs8 -topk8 -nocrypt -outform DER <<<"$pem" | openssl base64 -A) || return 0
  public=$(openssl pkey -pubout -outform DER <<<"$pem" | openssl base64 -A) || return 0
  printf '%s\n' "$1_PRIVATE_KEY=$private"
  printf '%s\n' "$1_PUBLIC_KEY=$public"
}
generate_keys() {
  if command -v openssl >/dev/null 2>&1; then
    local keys name
    keys=$(for name in "${KEY_NAMES[@]}"; do openssl_pair "$name" & done; wait)
    if [ "$(grep -cE '^[A-Z_]+_(PRIVATE|PUBLIC)_KEY=[A-Za-z0-9+/=]{300,}$' <<<"$keys")" -eq $((2 * ${#KEY_NAMES[@]})) ]; then
      echo "$keys"
      return
    fi
  fi
  local source
  source=$(mktemp -d)/GenerateKeys.java
  cat > "$source" <<'JAVA'
import java.security.KeyPairGenerator;
import java.util.Base64;

public class GenerateKeys {
    public static void main(String[] args) throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Base64.Encoder base64 = Base64.getEncoder();
        for (String name : args) {
            var pair = rsa.generateKeyPair();
            System.out.println(name + "_PRIVATE_KEY=" + base64.encodeToString(pair.getPrivate().getEncoded()));
            System.out.println(name + "_PUBLIC_KEY=" + base64.encodeToString(pair.getPublic().getEncoded()));
        }
    }
}
JAVA
  java "$source" "${KEY_NAMES[@]}"
  rm -rf "$(dirname "$source")"
}

if [ "${1:-}" = keys ]; then
  generate_keys
  exit 0
fi
# ./run.sh prepare: builds what is stale and makes each service's start-up cache, then exits (it needs the keys,
# as a start does). ./run.sh command <service>: prints the command line ./run.sh starts <service> with, one word a
# line, as things are (run prepare first; the benchmark starts its services with it); messages go to standard error.
MODE=${1:-run}
case $MODE in
  run|prepare) ;;
  command) [ -n "${2:-}" ] || { echo "usage: ./run.sh command <service>" >&2; exit 2; }; RUN_ONLY=$2; exec 3>&1 1>&2 ;;
  *) echo "usage: ./run.sh [keys | prepare | command <service>]" >&2; exit 2 ;;
esac

USER_SERVICE_PORT=${USER_SERVICE_PORT:-8081}
PRODUCT_SERVICE_PORT=${PRODUCT_SERVICE_PORT:-8082}
GATEWAY_PORT=${GATEWAY_PORT:-8080}
export SHOP_STORE_EMBEDDED_PATH=${SHOP_STORE_EMBEDDED_PATH:-$PWD/data}
export USER_SERVICE_URL=http://localhost:$USER_SERVICE_PORT
export PRODUCT_SERVICE_URL=http://localhost:$PRODUCT_SERVICE_PORT
LOG_DIR=${LOG_DIR:-$PWD/target/run-logs}

KEY_VARIABLES=(JWT_PRIVATE_KEY JWT_PUBLIC_KEY USER_SERVICE_PRIVATE_KEY USER_SERVICE_PUBLIC_KEY
  PRODUCT_SERVICE_PRIVATE_KEY PRODUCT_SERVICE_PUBLIC_KEY GATEWAY_PRIVATE_KEY GATEWAY_PUBLIC_KEY)
missing_key=false
for variable in "${KEY_VARIABLES[@]}"; do [ -z "${!variable:-}" ] && missing_key=true; done
if $missing_key && [ "$MODE" != command ]; then
  echo "Generating this run's keys (the access-token key pair, a key pair per process)..."
  keys=$(generate_keys)
  for variable in "${KEY_VARIABLES[@]}"; do
    printf -v "$variable" '%s' "$(sed -n "s/^$variable=//p" <<<"$keys")"
  done
  unset keys
fi
# every process verifies access tokens; the private keys and the peers' public keys go to each process on
# its own (process_keys), never through the exported environment
export JWT_PUBLIC_KEY
export -n JWT_PRIVATE_KEY USER_SERVICE_PRIVATE_KEY PRODUCT_SERVICE_PRIVATE_KEY GATEWAY_PRIVATE_KEY \
  USER_SERVICE_PUBLIC_KEY PRODUCT_SERVICE_PUBLIC_KEY GATEWAY_PUBLIC_KEY 2>/dev/null || true

# The keys of one process, as VARIABLE=value words: its own private key (user-service also the access-token
# signing key) and the public keys of the peers it takes service tokens from.
process_keys() {
  case $1 in
    user-service) printf '%s\n' "JWT_PRIVATE_KEY=$JWT_PRIVATE_KEY" "SERVICE_PRIVATE_KEY=$USER_SERVICE_PRIVATE_KEY" \
                    "PRODUCT_SERVICE_PUBLIC_KEY=$PRODUCT_SERVICE_PUBLIC_KEY" "GATEWAY_PUBLIC_KEY=$GATEWAY_PUBLIC_KEY" ;;
    product-service) printf '%s\n' "SERVICE_PRIVATE_KEY=$PRODUCT_SERVICE_PRIVATE_KEY" \
                    "USER_SERVICE_PUBLIC_KEY=$USER_SERVICE_PUBLIC_KEY" ;;
    gateway)      printf '%s\n' "SERVICE_PRIVATE_KEY=$GATEWAY_PRIVATE_KEY" ;;
  esac
}

# service name and port, in start order
SERVICES=("user-service:$USER_SERVICE_PORT" "product-service:$PRODUCT_SERVICE_PORT" "gateway:$GATEWAY_PORT")

jar_of() { find "$1/target" -maxdepth 1 -name "$1-*.jar" ! -name '*-plain.jar' ! -name '*.original' 2>/dev/null | head -n 1; }

stale() {
  local service=$1 jar
  jar=$(jar_of "$service")
  [ -z "$jar" ] && return 0
  [ -n "$(find "$service/src/main" "$service/pom.xml" shared pom.xml -name target -prune -o -newer "$jar" -type f -print 2>/dev/null | head -n 1)" ]
}

present=()
for entry in "${SERVICES[@]}"; do
  service=${entry%%:*}
  [ -n "${RUN_ONLY:-}" ] && [[ " $RUN_ONLY " != *" $service "* ]] && continue
  [ -d "$service/src/main" ] && present+=("$entry")
done

needs_build=false
for entry in "${present[@]}"; do stale "${entry%%:*}" && needs_build=true; done
if $needs_build && [ -n "${NO_BUILD:-}" ]; then
  for entry in "${present[@]}"; do
    [ -n "$(jar_of "${entry%%:*}")" ] || { echo "NO_BUILD is set and ${entry%%:*} has no jar: build it first" >&2; exit 1; }
  done
elif $needs_build; then
  echo "Building (tests skipped; run ./mvnw -B verify for them)..."
  ./mvnw -B -q -DskipTests package
fi

# The JDK: JAVA_HOME's; else the newest JDK 25+ under /usr/lib/jvm (its AOT cache starts a service fastest); else
# java on the PATH. JDK 17 is enough (it has class-data sharing).
# A JDK's version, from the release file beside its bin/ (reading it costs nothing; starting the JVM to ask costs
# ~0.1-0.3 s each, and a start asks for several JDKs), else from the JVM itself.
java_release() { # java: the JDK's full version, e.g. 25.0.3+9-LTS
  local home
  home=$(dirname "$(dirname "$(readlink -f "$(command -v "$1")")")")
  if [ -f "$home/release" ]; then sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$home/release"
  else "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'; fi
}
java_major() { local version; version=$(java_release "$1"); version=${version#1.}; echo "${version%%[.+-]*}"; }
if [ -n "${JAVA_HOME:-}" ]; then JAVA=$JAVA_HOME/bin/java
else
  JAVA=java
  for candidate in $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null); do
    major=$(java_major "$candidate")
    [ "${major:-0}" -ge 25 ] && [ "$major" -gt "$(java_major "$JAVA")" ] && JAVA=$candidate
  done
fi
JAVA_MAJOR=$(java_major "$JAVA")
# what a class cache was made with: a cache made by another JDK is made again
JAVA_IDENTITY="$(readlink -f "$(command -v "$JAVA")") $(java_release "$JAVA")"

# Fast start-up: each service runs from its jar extracted by Spring Boot's jar tool (<service>/target/fast: the
# application's classes in one jar, the libraries beside it) with a cache of the classes it loads to start, made
# by a training run that starts it up to a refreshed context and stops (spring.context.exit=onRefresh): the AOT
# cache on JDK 25+ (classes loaded and linked, method profiles), class-data sharing on JDK 17-24. Made again when
# the jar, jvm.options or the JDK changes (a JVM also ignores, with a warning, a cache that does not match its
# class path). The training runs on the in-memory store and takes ~30-60 s for all three, once after each build.
fast_dir() { echo "$1/target/fast"; }
fast_jar() { echo "$(fast_dir "$1")/$(basename "$(jar_of "$1")")"; }
cache_file() { if [ "$JAVA_MAJOR" -ge 25 ]; then echo "$(fast_dir "$1")/app.aot"; else echo "$(fast_dir "$1")/app.jsa"; fi; }
cache_option() { # nothing when there is no cache (its training run failed)
  [ -f "$(cache_file "$1")" ] || return 0
  if [ "$JAVA_MAJOR" -ge 25 ]; then echo "-XX:AOTCache=$(cache_file "$1")"; else echo "-XX:SharedArchiveFile=$(cache_file "$1")"; fi
}
fast_stale() {
  local dir cache
  dir=$(fast_dir "$1"); cache=$(cache_file "$1")
  [ ! -f "$cache" ] || [ "$(jar_of "$1")" -nt "$cache" ] || [ jvm.options -nt "$cache" ] \
    || [ "$(cat "$dir/java" 2>/dev/null)" != "$JAVA_IDENTITY" ]
}
prepare_fast_start() { # service
  local service=$1 dir cache output own_keys
  dir=$(fast_dir "$service"); cache=$(cache_file "$service")
  rm -rf "$dir"
  "$JAVA" -Djarmode=tools -jar "$(jar_of "$service")" extract --destination "$dir" > /dev/null
  if [ "$JAVA_MAJOR" -ge 25 ]; then output=-XX:AOTCacheOutput=$cache; else output=-XX:ArchiveClassesAtExit=$cache; fi
  mapfile -t own_keys < <(process_keys "$service")
  if env -u MONGODB_URI "${own_keys[@]}" SHOP_STORE_EMBEDDED_BACKEND=memory PORT=0 MANAGEMENT_PORT= \
      "$JAVA" @jvm.options "$output" -Dspring.context.exit=onRefresh -jar "$(fast_jar "$service")" \
      > "$LOG_DIR/$service-training.log" 2>&1 && [ -f "$cache" ]; then
    echo "$JAVA_IDENTITY" > "$dir/java"
  else
    rm -f "$cache"
    echo "  $service: no class cache (the training run failed, see $LOG_DIR/$service-training.log); it starts slower"
  fi
}

http_ok() {
  if command -v curl >/dev/null 2>&1; then curl -fsS -o /dev/null "$1" 2>/dev/null
  else wget -q -O /dev/null "$1" 2>/dev/null; fi
}

mkdir -p "$LOG_DIR"; mkdir -p -m 700 "$SHOP_STORE_EMBEDDED_PATH"   # the store's folder: this user's only
training=()
for entry in "${present[@]}"; do
  if [ "$MODE" != command ] && fast_stale "${entry%%:*}"; then
    [ ${#training[@]} -eq 0 ] && echo "Preparing the fast start-up (JDK $JAVA_MAJOR; once after each build)..."
    prepare_fast_start "${entry%%:*}" & training+=($!)
  fi
done
[ ${#training[@]} -eq 0 ] || wait "${training[@]}"

# the command line of a service (JAVA_OPTS last, so that they can add to or override jvm.options)
java_command() { printf '%s\n' "$JAVA" @jvm.options $(cache_option "$1") ${JAVA_OPTS:-} -jar "$(fast_jar "$1")"; }
case $MODE in
  prepare) exit 0 ;;
  command) java_command "$2" >&3; exit 0 ;;
esac

# the actuator is on each process's management port: its port + 1000 (shop.management.port-offset)
management_port() { echo $(($1 + 1000)); }
readiness_url() { echo "http://127.0.0.1:$(management_port "$1")/actuator/health/readiness"; }

RESTART_MAX_DELAY=${RESTART_MAX_DELAY:-30}
RESTART_RESET_AFTER=${RESTART_RESET_AFTER:-60}
# <service>.ready: the service has been ready once, so its supervisor starts it again when it dies
STATE_DIR=$(mktemp -d)

# Replaces the calling (background) shell with the service's JVM.
# user-service and product-service listen on loopback only (their callers, the gateway and each other, are
# here; no client can go around the gateway); the gateway on every interface, or SERVER_ADDRESS if set.
launch() { # service port
  local bind=127.0.0.1
  [ "$1" = gateway ] && bind=
  mapfile -t own_keys < <(process_keys "$1")
  mapfile -t command < <(java_command "$1")
  exec env "${own_keys[@]}" ${bind:+"SERVER_ADDRESS=$bind"} PORT="$2" MANAGEMENT_PORT= MALLOC_ARENA_MAX=2 "${command[@]}"
}

# The last 200 lines a service's log has from its current run (after the last restart line supervise wrote).
run_tail() { # log
  awk '/^----- \.\/run\.sh: /{n=0; next} {line[n++ % 200]=$0}
       END {for (i = (n > 200 ? n - 200 : 0); i < n; i++) print line[i % 200]}' "$1" 2>/dev/null
}

# How a process ended, in words: an OutOfMemoryError at the end of its log (jvm.options: -XX:+ExitOnOutOfMemoryError),
# a signal, or its exit status.
exit_cause() { # status log
  local status=$1 oom signal
  oom=$(run_tail "$2" | grep -o 'OutOf[A-Za-z]*MemoryError[^"]*' | tail -n 1 | cut -c 1-120 || true)
  if [ -n "$oom" ]; then
    echo "ran out of memory ($oom; exit status $status)"
  elif [ "$status" -gt 128 ]; then
    signal=$(kill -l $((status - 128)) 2>/dev/null || echo $((status - 128)))
    if [ "$signal" = KILL ]; then echo "was killed by SIGKILL (kill -9, or the kernel's out-of-memory killer: see dmesg)"
    else echo "was killed by SIG$signal"; fi
  else
    echo "exited with status $status"
  fi
}

# Runs a service and, once it has been ready, runs it again whenever it dies (see Supervision at the top). A
# background process of its own; stop_all ends it with SIGTERM, on which it stops the service and restarts nothing.
supervise() { # service port
  local service=$1 port=$2 log=$LOG_DIR/$1.log restarts=0 delay=1 started status up cause child= pause= watch=
  trap - EXIT
  trap '' INT   # Ctrl-C is ./run.sh's to handle: it stops everything through stop_all
  trap 'kill $pause $watch 2>/dev/null || true; if [ -n "$child" ]; then kill "$child" 2>/dev/null || true; wait "$child" || true; fi; exit 0' TERM
  : > "$log"
  while :; do
    started=$SECONDS
    launch "$service" "$port" >> "$log" 2>&1 &
    child=$!
    [ "$restarts" -eq 0 ] || { announce_ready "$service" "$port" "$child" "$restarts" & watch=$!; }
    status=0
    wait "$child" 2>/dev/null || status=$?   # (no "Killed" line from bash: the next line says it)
    child=
    kill $watch 2>/dev/null || true
    # not restarted: one that was never ready (./run.sh reports it and stops), or one whose ./run.sh is gone
    { [ -e "$STATE_DIR/$service.ready" ] && kill -0 $$ 2>/dev/null; } || exit "$status"
    up=$((SECONDS - started))
    cause=$(exit_cause "$status" "$log")
    [ "$up" -lt "$RESTART_RESET_AFTER" ] || delay=1
    restarts=$((restarts + 1))
    echo "$(date +%T) $service $cause after $up s; starting it again in $delay s (restart $restarts). The end of its log ($log):"
    run_tail "$log" | tail -n 8 | sed 's/^/    /'
    echo "----- ./run.sh: $service $cause; restart $restarts at $(date '+%F %T') -----" >> "$log"
    sleep "$delay" & pause=$!
    wait "$pause" || true
    pause=
    delay=$((delay * 2 < RESTART_MAX_DELAY ? delay * 2 : RESTART_MAX_DELAY))
  done
}

# One line when a restarted service is ready again (or nothing, if it dies first).
announce_ready() { # service port pid restarts
  local since=$SECONDS
  trap - EXIT TERM
  while kill -0 "$3" 2>/dev/null; do
    if http_ok "$(readiness_url "$2")"; then
      echo "$(date +%T) $1 is ready again, $((SECONDS - since)) s after restart $4"
      return
    fi
    sleep 1
  done
}

pids=()
stop_all() {
  trap '' INT TERM   # a second Ctrl-C must not cut the orderly stop short
  trap - EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo; echo "Stopping..."
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
    echo "Stopped."
  fi
  rm -rf "$STATE_DIR"
}
trap stop_all INT TERM EXIT

for entry in "${present[@]}"; do
  service=${entry%%:*}; port=${entry##*:}
  supervise "$service" "$port" &
  pids+=($!)
  echo "Starting $service on port $port (log: $LOG_DIR/$service.log)"
done

# every process started at once: each is waited for in turn, with a line every few seconds while it is not
# ready yet; a loaded 2-core machine has been seen to take over two minutes, hence READY_TIMEOUT (seconds)
READY_TIMEOUT=${READY_TIMEOUT:-300}
started=$SECONDS
next_report=5
for i in "${!present[@]}"; do
  entry=${present[$i]}; service=${entry%%:*}; port=${entry##*:}
  until http_ok "$(readiness_url "$port")"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "$service exited; the end of its log:"; tail -n 30 "$LOG_DIR/$service.log"; exit 1
    fi
    waited=$((SECONDS - started))
    if [ "$waited" -ge "$READY_TIMEOUT" ]; then
      echo "$service did not become ready in $READY_TIMEOUT s (READY_TIMEOUT); the end of its log:"
      tail -n 30 "$LOG_DIR/$service.log"; exit 1
    fi
    if [ "$waited" -ge "$next_report" ]; then
      echo "  waiting for $service ($waited s)..."
      next_report=$((waited + 5))
    fi
    sleep 1
  done
  touch "$STATE_DIR/$service.ready"
  echo "  $service ready in $((SECONDS - started)) s: http://localhost:$port"
done

echo
echo "Store: ${MONGODB_URI:-embedded (${SHOP_STORE_EMBEDDED_BACKEND:-file}) under $SHOP_STORE_EMBEDDED_PATH}"
for entry in "${present[@]}"; do
  service=${entry%%:*}; port=${entry##*:}
  case $service in
    gateway) echo "Public API:      http://localhost:$port/api/users  http://localhost:$port/api/products"
             echo "Sign up:         POST http://localhost:$port/api/users, then POST http://localhost:$port/api/auth/token"
             echo "API docs:        http://localhost:$port/api/swagger-ui.html"
             echo "gateway operations (this machine only): http://127.0.0.1:$(management_port "$port")/actuator" ;;
    *)       echo "$service: http://localhost:$port  (operations, this machine only: http://127.0.0.1:$(management_port "$port")/actuator)" ;;
  esac
done
echo "Press Ctrl-C to stop. A process that dies is started again (RESTART_MAX_DELAY, RESTART_RESET_AFTER)."
wait
