#!/usr/bin/env bash
# Mast side by side with Mosquitto, HiveMQ CE and Moquette, one broker at a time on 127.0.0.1:$PORT, each driven by
# the same `mast bench` scenarios; then writes docs/benchmarks.md (with bench/report.py).
#
#   bench/build.sh                                     # first: builds the jars (Maven, under the machine lock)
#   flock -o /tmp/mast-maven.lock bash bench/compare.sh    # measure while nobody builds
#
# Settings (environment): RUNS=3 (runs per scenario), MEM_RUNS=RUNS (runs of the memory scenario), SECS=10 (measured seconds per run), WARMUP=5 (unmeasured
# seconds first), BROKERS="mast mosquitto hivemq moquette", CONNS=10000 (idle connections), SCENARIOS (subset of
# qos0-1to1 qos1-1to1 fanin fanout latency memory), PORT=18830, RESULTS_FILE (default compare.jsonl), NO_REPORT=1
# (do not render docs/benchmarks.md). Results: bench/work/results/$RESULTS_FILE.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_jars
RUNS=${RUNS:-3}
SECS=${SECS:-10}
WARMUP=${WARMUP:-5}
CONNS=${CONNS:-10000}
MEM_RUNS=${MEM_RUNS:-$RUNS}
BROKERS=${BROKERS:-"mast mosquitto hivemq moquette"}
SCENARIOS=${SCENARIOS:-"qos0-1to1 qos1-1to1 fanin fanout latency memory"}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # 10,000 connections need more than 1024 descriptors
mkdir -p "$work/results"
out="$work/results/${RESULTS_FILE:-compare.jsonl}"
printf '{"machine":%s,"settings":{"runs":%s,"seconds":%s,"warmup":%s,"connections":%s,"version":"%s","broker_jvm":"%s","bench_jvm":"%s"}}\n' \
  "$(machine_json)" "$RUNS" "$SECS" "$WARMUP" "$CONNS" "$VERSION_ARGS" "$BROKER_JVM_OPTS" "$BENCH_JVM_OPTS" > "$out"
BENCH_PID=
cleanup() {
  [ -n "$BENCH_PID" ] && kill "$BENCH_PID" 2>/dev/null || true
  stop_broker
}
trap cleanup EXIT

# The scenarios: name, then the `mast bench` arguments.
args_of() {
  local common="$VERSION_ARGS --seconds $SECS --warmup $WARMUP --threads 2"
  case "$1" in
    qos0-1to1) echo "pubsub --topology 1to1 -q 0 $common" ;;
    qos1-1to1) echo "pubsub --topology 1to1 -q 1 $common" ;;
    # Fan-in and fan-out without warm-up: a peer that accepts more than it delivers would spend the measured seconds
    # on the warm-up's backlog and show nothing (see bench/notes.md).
    fanin) echo "pubsub --topology fanin --pubs 100 --subs 1 -q 0 ${common/--warmup $WARMUP/--warmup 0}" ;;
    fanout) echo "pubsub --topology fanout --pubs 1 --subs 100 -q 0 ${common/--warmup $WARMUP/--warmup 0}" ;;
    latency) echo "pubsub --topology 1to1 -q 1 --rate 10000 $common" ;;
  esac
}

is_jvm() { [ "$1" != mosquitto ]; }

# Idle connections: memory of the broker before and while it holds $CONNS connections that do nothing.
memory_run() {
  local b=$1 run=$2 log="$work/conn.log" res="$work/conn.json"
  start_broker "$b"
  sleep 3
  local rss0 heap0="null" rss1 heap1="null"
  is_jvm "$b" && heap0=$(heap_kb "$BROKER_PID")
  rss0=$(rss_kb "$BROKER_PID")
  LAST_CMD="java $BENCH_JVM_OPTS -jar mast.jar bench conn $VERSION_ARGS --connections $CONNS --rate 2000 --seconds 20 --threads 2 -h 127.0.0.1 -p $PORT --json"
  "$java" $BENCH_JVM_OPTS -jar "$jars/mast.jar" bench conn $VERSION_ARGS --connections "$CONNS" --rate 2000 \
    --seconds 20 --threads 2 -h 127.0.0.1 -p "$PORT" --json > "$res" 2> "$log" &
  BENCH_PID=$!
  local i
  for ((i = 0; i < 1200; i++)); do grep -q "connections are up" "$log" && break; sleep 0.1; done
  sleep 5
  is_jvm "$b" && heap1=$(heap_kb "$BROKER_PID")
  rss1=$(rss_kb "$BROKER_PID")
  wait "$BENCH_PID" || true
  BENCH_PID=
  record "$out" "$b" memory "$run" "$(tail -n 1 "$res")" \
    "\"rss_before_kb\":${rss0:-null},\"rss_after_kb\":${rss1:-null},\"heap_before_kb\":${heap0:-null},\"heap_after_kb\":${heap1:-null}"
  stop_broker
}

for b in $BROKERS; do
  throughput=0
  for sc in $SCENARIOS; do [ "$sc" != memory ] && throughput=1; done
  if [ $throughput = 1 ]; then
    echo "== $b" >&2
    for sc in $SCENARIOS; do
      [ "$sc" = memory ] && continue
      # A fresh broker per scenario: a broker still digesting (or wedged by) one flood must not spoil the next.
      start_broker "$b"
      for ((run = 1; run <= RUNS; run++)); do
        drops0=
        [[ $b == mast* ]] && drops0=$(mast_drops)
        # shellcheck disable=SC2046
        run_bench $(args_of "$sc")
        json=$BENCH_JSON
        rss=$(rss_kb "$BROKER_PID" 2>/dev/null || true)
        if [ -n "$drops0" ]; then
          sleep 2 # what was still queued when the generator stopped is delivered or dropped by now
          record "$out" "$b" "$sc" "$run" "$json" "\"rss_kb\":${rss:-null},\"dropped\":$(drops_delta "$drops0" "$(mast_drops)")"
        else
          record "$out" "$b" "$sc" "$run" "$json" "\"rss_kb\":${rss:-null}"
        fi
        echo "$b $sc run $run: $(printf '%s' "$json" | python3 -c 'import json,sys
try:
  r=json.loads(sys.stdin.read()); print("sent %d/s received %d/s lost %d p99 %s ms errors %d" % (r["send_rate"], r["receive_rate"], r["lost"], r["latency_ms_p99"], r["errors"]))
except Exception as e: print("no result", e)')" >&2
        kill -0 "$BROKER_PID" 2>/dev/null || { echo "$b died; restarting it" >&2; start_broker "$b"; }
      done
      stop_broker
    done
  fi
  if [[ " $SCENARIOS " == *" memory "* ]]; then
    for ((run = 1; run <= MEM_RUNS; run++)); do
      memory_run "$b" "$run"
      echo "$b memory run $run: $(tail -n 1 "$out" | cut -c1-60)..." >&2
    done
  fi
done
[ -n "${NO_REPORT:-}" ] || python3 "$root/bench/report.py"
