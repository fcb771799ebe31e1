#!/usr/bin/env bash
# The isolation figures (issue 12): one client must not hurt the others.
#   1. `seq 1 200000 | mosquitto_pub -l` (QoS 0 and 1) into a reading mosquitto_sub, against `mast broker` with its
#      default configuration: how many of the 200,000 arrive, RUNS_LINES runs each.
#   2. An unrelated QoS 1 publisher (mast bench pubsub 1to1) with no other client, beside a subscriber to '#' that
#      stopped reading, and beside one that reads one message a second: messages per second, the broker's heap after
#      a full GC, and the drops counted.
#   3. 100 connections that each declare a 256 MB CONNECT: how fast each is closed, and the broker's RSS.
#   4. 1,000 wrong-password CONNECTs a second for 10 s from 127.0.0.1 while a legitimate client logs in again and
#      again from 127.0.0.2: its CONNACK latency and refusals, with the default logins settings and without bans.
#   5. The fan-in and fan-out floods of bench/compare.sh, Mast beside the peers, with Mast's drop counters.
# Writes bench/work/results/isolation.jsonl and bench/figures/isolation.md, then docs/benchmarks.md.
#
#   bench/build.sh && flock -o /tmp/mast-maven.lock bash bench/isolation.sh
#
# Settings: PARTS="lines stalled connects logins floods", RUNS_LINES=10, RUNS=3, SECS=10, PORT.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_jars
PARTS=${PARTS:-"lines stalled connects logins floods"}
RUNS_LINES=${RUNS_LINES:-10}
RUNS=${RUNS:-3}
SECS=${SECS:-10}
ADMIN_PORT=$((PORT + 1))
py=/usr/bin/python3
tools="$root/bench/isolation"
mkdir -p "$work/results"
out="$work/results/isolation.jsonl"
printf '{"machine":%s,"settings":{"runs_lines":%s,"runs":%s,"seconds":%s,"broker_jvm":"%s"}}\n' \
  "$(machine_json)" "$RUNS_LINES" "$RUNS" "$SECS" "$BROKER_JVM_OPTS" > "$out"
helpers=()
cleanup() {
  for p in "${helpers[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_broker
}
trap cleanup EXIT

line() { printf '%s\n' "$1" >> "$out"; }

# The broker with the default configuration (RocksDB in ./data, no config file), on $PORT.
start_default_mast() {
  local dir="$work/run/mast-default"
  rm -rf "$dir"
  mkdir -p "$dir"
  (cd "$dir" && exec "$java" $BROKER_JVM_OPTS -jar "$jars/mast.jar" broker --port "$PORT" > "$dir/out.log" 2>&1) &
  BROKER_PID=$!
  wait_port "$PORT" 120 || { cat "$dir/out.log" >&2; die "mast did not listen on $PORT"; }
  sleep 2
}

metric() { curl -s "http://127.0.0.1:$ADMIN_PORT/api/v1/metrics?prefix=$1" | tr -d ' \n'; }

if [[ " $PARTS " == *" lines "* ]]; then
  start_default_mast
  for q in 0 1; do
    for ((run = 1; run <= RUNS_LINES; run++)); do
      got="$work/run/lines.out"
      mosquitto_sub -h 127.0.0.1 -p "$PORT" -V mqttv311 -i "lines-sub-$q-$run" -t "lines/$q" -C 200000 -W 120 \
        > "$got" 2>/dev/null &
      sub=$!
      helpers+=("$sub")
      sleep 1
      seq 1 200000 | mosquitto_pub -h 127.0.0.1 -p "$PORT" -V mqttv311 -i "lines-pub-$q-$run" -q "$q" -t "lines/$q" -l
      wait "$sub" || true
      n=$(wc -l < "$got")
      line "{\"part\":\"lines\",\"qos\":$q,\"run\":$run,\"delivered\":$n,\"sent\":200000}"
      echo "lines QoS $q run $run: $n of 200000" >&2
    done
  done
  stop_broker
fi

if [[ " $PARTS " == *" stalled "* ]]; then
  for variant in none stall slow; do
    for ((run = 1; run <= RUNS; run++)); do
      MAST_YAML="listeners:
  - type: tcp
    bind: 127.0.0.1
    port: $PORT
storage:
  type: memory
admin:
  port: $ADMIN_PORT" start_broker mast-isolation
      if [ "$variant" != none ]; then
        "$py" "$tools/subscriber.py" "$PORT" "$variant" "other-$variant" > "$work/run/subscriber.log" 2>&1 &
        helpers+=("$!")
        sleep 1
      fi
      run_bench pubsub --topology 1to1 -q 1 -V 311 --seconds "$SECS" --warmup 3 --threads 2
      rate=$(printf '%s' "$BENCH_JSON" | grep -o '"receive_rate":[0-9.]*' | cut -d: -f2)
      heap=$(heap_kb "$BROKER_PID")
      drops=$(metric messages.dropped)
      line "{\"part\":\"stalled\",\"variant\":\"$variant\",\"run\":$run,\"receive_rate\":${rate:-0},\"heap_kb\":${heap:-0},\"dropped\":${drops:-null},\"cmd\":\"$(printf '%s' "$LAST_CMD" | sed 's/"/\\"/g')\"}"
      echo "stalled $variant run $run: ${rate:-0} msg/s, heap ${heap:-?} KB" >&2
      for p in "${helpers[@]}"; do kill "$p" 2>/dev/null || true; done
      helpers=()
      stop_broker
    done
  done
fi

if [[ " $PARTS " == *" connects "* ]]; then
  start_default_mast
  r=$("$py" "$tools/huge_connects.py" "$PORT" 100 "$BROKER_PID")
  line "{\"part\":\"connects\",\"result\":$r}"
  echo "connects: $r" >&2
  stop_broker
fi

if [[ " $PARTS " == *" logins "* ]]; then
  for bans in default off; do
    dir="$work/run/mast-logins-$bans"
    rm -rf "$dir"
    mkdir -p "$dir"
    "$java" -jar "$jars/mast.jar" passwd -c -b "$dir/passwd" alice right > /dev/null
    extra=""
    [ "$bans" = off ] && extra="logins:
  ban_after_failures: 0"
    MAST_YAML="listeners:
  - type: tcp
    bind: 127.0.0.1
    port: $PORT
storage:
  type: memory
plugins:
  io.mast.plugins.PasswordFileAuthPlugin: {password_file: $dir/passwd}
$extra" start_broker "mast-logins-$bans"
    r=$("$py" "$tools/login_flood.py" "$PORT" 1000 10 alice right)
    line "{\"part\":\"logins\",\"bans\":\"$bans\",\"result\":$r}"
    echo "logins (bans $bans): $r" >&2
    stop_broker
  done
fi

if [[ " $PARTS " == *" floods "* ]]; then
  # The fan-in and fan-out floods of bench/compare.sh, Mast beside the peers, with Mast's drop counters.
  RESULTS_FILE=isolation-floods.jsonl NO_REPORT=1 SCENARIOS="fanin fanout" bash "$root/bench/compare.sh"
fi

"$py" "$tools/report.py" "$out" "$work/results/isolation-floods.jsonl" > "$root/bench/figures/isolation.md"
"$py" "$root/bench/report.py" || true
