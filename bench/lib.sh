# Functions shared by bench/compare.sh and bench/mast-only.sh (sourced, not run).
# Every broker runs on 127.0.0.1 only; every process started here is stopped by its PID.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work="$root/bench/work"
jars="${JARS:-$work/jars}"
JAVA_HOME=${JAVA_HOME:-$("$root/.mvn/find-jdk")}
java="$JAVA_HOME/bin/java"
jcmd="$JAVA_HOME/bin/jcmd"
# One JVM setup for every JVM broker and for the load generator.
BROKER_JVM_OPTS=${BROKER_JVM_OPTS:-"-Xms2g -Xmx2g"}
BENCH_JVM_OPTS=${BENCH_JVM_OPTS:-"-Xms1g -Xmx2g"}
PORT=${PORT:-18830}
# Optional CPU pinning (taskset -c lists, e.g. BROKER_CPUS=0 BENCH_CPUS=1), so that the broker and the load generator
# do not take each other's core; unset: the scheduler decides.
BROKER_CPUS=${BROKER_CPUS:-}
BENCH_CPUS=${BENCH_CPUS:-}
broker_pin=()
bench_pin=()
[ -z "$BROKER_CPUS" ] || broker_pin=(taskset -c "$BROKER_CPUS")
[ -z "$BENCH_CPUS" ] || bench_pin=(taskset -c "$BENCH_CPUS")

die() { echo "bench: $*" >&2; exit 1; }

need_jars() {
  [ -f "$jars/mast.jar" ] || die "no $jars/mast.jar: run bench/build.sh first (the measurement itself never builds)"
  if [ "$(cat /proc/loadavg | cut -d' ' -f1 | cut -d. -f1)" -ge 2 ]; then
    echo "bench: warning: load average $(cut -d' ' -f1 /proc/loadavg): something else is running; figures will be low" >&2
  fi
}

# Waits until something accepts TCP connections on 127.0.0.1:$1 (at most $2 seconds).
wait_port() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# start_broker NAME [extra]: starts the broker in $work/run/NAME, sets BROKER_PID. NAME is one of
# mast, mast-<variant> (config from $work/run/NAME/mast.yaml, written by the caller or here), mosquitto, hivemq, moquette.
start_broker() {
  local name=$1 dir="$work/run/$1"
  rm -rf "$dir"
  mkdir -p "$dir"
  case "$name" in
    mast*)
      if [ -n "${MAST_YAML:-}" ]; then
        printf '%s\n' "$MAST_YAML" > "$dir/mast.yaml"
      else
        cat > "$dir/mast.yaml" <<YAML
listeners:
  - type: tcp
    bind: 127.0.0.1
    port: $PORT
limits:
  max_queued_messages: 1000
  max_inflight_messages: 32
storage:
  type: memory
admin:
  port: $((PORT + 1))
YAML
      fi
      (cd "$dir" && exec "${broker_pin[@]}" "$java" $BROKER_JVM_OPTS -jar "$jars/mast.jar" broker -c "$dir/mast.yaml" > "$dir/out.log" 2>&1) &
      BROKER_PID=$!
      ;;
    mosquitto)
      cat > "$dir/mosquitto.conf" <<CONF
listener $PORT 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 1000
max_inflight_messages 32
max_connections -1
set_tcp_nodelay true
log_dest stderr
log_type error
log_type warning
CONF
      mosquitto -c "$dir/mosquitto.conf" > "$dir/out.log" 2>&1 &
      BROKER_PID=$!
      ;;
    hivemq)
      (cd "$dir" && exec "$java" $BROKER_JVM_OPTS -jar "$jars/hivemq/hivemq-peer.jar" "$PORT" "$dir" > "$dir/out.log" 2>&1) &
      BROKER_PID=$!
      ;;
    moquette)
      (cd "$dir" && exec "$java" $BROKER_JVM_OPTS -jar "$jars/moquette/moquette-peer.jar" "$PORT" "$dir" > "$dir/out.log" 2>&1) &
      BROKER_PID=$!
      ;;
    *) die "unknown broker $name" ;;
  esac
  wait_port "$PORT" 120 || { cat "$dir/out.log" >&2; die "$name did not listen on $PORT"; }
  sleep 2
}

stop_broker() {
  [ -n "${BROKER_PID:-}" ] || return 0
  kill "$BROKER_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 300; i++)); do kill -0 "$BROKER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$BROKER_PID" 2>/dev/null || true
  wait "$BROKER_PID" 2>/dev/null || true
  BROKER_PID=
  local j
  for ((j = 0; j < 50; j++)); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null || break; sleep 0.1; done
}

# The MQTT version brokers are driven with: 3.1.1 everywhere (Moquette 0.17 speaks nothing else).
VERSION_ARGS=${VERSION_ARGS:-"-V 311"}

# run_bench ARGS...: runs `mast bench ARGS --json` against the broker on $PORT (no subshell, so that it can set
# variables): BENCH_JSON is the result line (empty when it crashed), LAST_CMD the command line; the live output goes
# to $work/last-bench.log.
run_bench() {
  LAST_CMD="${bench_pin[*]}${BENCH_CPUS:+ }java $BENCH_JVM_OPTS -jar mast.jar bench $* -h 127.0.0.1 -p $PORT --json"
  "${bench_pin[@]}" "$java" $BENCH_JVM_OPTS -jar "$jars/mast.jar" bench "$@" -h 127.0.0.1 -p "$PORT" --json \
    > "$work/last-bench.json" 2> "$work/last-bench.log" || true
  BENCH_JSON=$(tail -n 1 "$work/last-bench.json")
}

# record FILE BROKER SCENARIO RUN JSON [EXTRA_JSON_FIELDS]: appends one result line.
record() {
  local json=${5:-}
  [ -n "$json" ] || json=null
  printf '{"broker":"%s","scenario":"%s","run":%s,"cmd":"%s","result":%s%s}\n' "$2" "$3" "$4" \
    "$(printf '%s' "$LAST_CMD" | sed 's/\\/\\\\/g; s/"/\\"/g')" "$json" "${6:+,$6}" >> "$1"
}

# CPU time the process has used so far (user + system, all threads), in seconds.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# Heap used after a full GC, in KB (JVM brokers only).
# Mast's drop counters (messages.dropped.*) from its admin API on PORT+1, as a JSON object ({} when unreachable).
mast_drops() {
  curl -s --max-time 5 "http://127.0.0.1:$((PORT + 1))/api/v1/metrics?prefix=messages.dropped" 2>/dev/null \
    | python3 -c 'import json,sys
try:
  d=json.load(sys.stdin); d=d.get("metrics", d) if isinstance(d, dict) else {}
  print(json.dumps({k: v for k, v in d.items() if isinstance(v, (int, float))}))
except Exception: print("{}")'
}

# The difference of two mast_drops objects, as a JSON object.
drops_delta() {
  python3 -c 'import json,sys
a=json.loads(sys.argv[1]); b=json.loads(sys.argv[2])
print(json.dumps({k: b[k] - a.get(k, 0) for k in b}))' "$1" "$2"
}

heap_kb() {
  "$jcmd" "$1" GC.run > /dev/null 2>&1 || true
  sleep 1
  "$jcmd" "$1" GC.heap_info 2>/dev/null | sed -n 's/.*heap .* used \([0-9]*\)K.*/\1/p' | head -n 1
}

machine_json() {
  local cpu mem kernel jdk
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
  mem=$(free -h | awk '/^Mem:/ {print $2}')
  kernel=$(uname -r)
  jdk=$("$java" -version 2>&1 | head -n 1 | sed 's/"/\\"/g')
  printf '{"nproc":%s,"cpu":"%s","memory":"%s","kernel":"%s","jdk":"%s","mosquitto":"%s","date":"%s"}' \
    "$(nproc)" "$cpu" "$mem" "$kernel" "$jdk" "$(mosquitto -h 2>&1 | head -n 1 | sed 's/"/\\"/g')" "$(date -u +%Y-%m-%dT%H:%MZ)"
}
