#!/usr/bin/env bash
# How hard the load generator drives a broker: one QoS 0 publisher, 64-byte payloads, N messages, `mosquitto_pub -l`
# (one message per line of a prepared file) against `mast bench pub`, against Mast (memory) and Mosquitto.
#
#   bench/build.sh && flock -o /tmp/mast-maven.lock bash bench/generator.sh
#
# Settings: RUNS=3, N=3000000, PORT. Results: bench/work/results/generator.jsonl.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_jars
RUNS=${RUNS:-3}
N=${N:-3000000}
mkdir -p "$work/results"
out="$work/results/generator.jsonl"
printf '{"machine":%s}\n' "$(machine_json)" > "$out"
trap stop_broker EXIT
lines="$work/lines64.txt"
python3 -c "import sys; sys.stdout.write(('x' * 63 + '\n') * $N)" > "$lines"
for b in mast mosquitto; do
  start_broker "$b"
  for ((run = 1; run <= RUNS; run++)); do
    s=$(date +%s.%N)
    mosquitto_pub -h 127.0.0.1 -p "$PORT" -t bench/x -q 0 -l < "$lines"
    e=$(date +%s.%N)
    rate=$(python3 -c "print($N / ($e - $s))")
    printf '{"broker":"%s","tool":"mosquitto_pub","run":%s,"rate":%s,"cmd":"mosquitto_pub -h 127.0.0.1 -p <port> -t bench/x -q 0 -l < lines  # %s lines of 63 bytes"}\n' \
      "$b" "$run" "$rate" "$N" >> "$out"
    s=$(date +%s.%N)
    "$java" $BENCH_JVM_OPTS -jar "$jars/mast.jar" bench pub -h 127.0.0.1 -p "$PORT" -t bench/x -q 0 -s 64 \
      --count "$N" --threads 2 --json > "$work/gen.json" 2> /dev/null || true
    e=$(date +%s.%N)
    rate=$(python3 -c "print($N / ($e - $s))")
    printf '{"broker":"%s","tool":"mast-bench","run":%s,"rate":%s,"cmd":"java %s -jar mast.jar bench pub -h 127.0.0.1 -p <port> -t bench/x -q 0 -s 64 --count %s --threads 2","result":%s}\n' \
      "$b" "$run" "$rate" "$BENCH_JVM_OPTS" "$N" "$(tail -n 1 "$work/gen.json")" >> "$out"
    echo "$b run $run done" >&2
  done
  stop_broker
done
python3 "$root/bench/report.py"
