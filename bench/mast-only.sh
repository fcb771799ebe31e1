#!/usr/bin/env bash
# Mast's own figures (issues 3, 4, 6 and 17), each with the same `mast bench` scenario against differently configured
# Mast brokers: no plugin vs the ACL file plugin; no hook server vs a no-op Java and a no-op Python hook server on
# message.publish, over Mast's stream (the SDKs' default) and with EMQX's unary calls (streaming: false); QoS 1 to
# persistent sessions with storage memory, RocksDB (default sync interval) and sync always.
# The RocksDB recovery time comes from JMH (bench/jmh.sh). Then writes docs/benchmarks.md (bench/report.py).
#
#   bench/build.sh && flock -o /tmp/mast-maven.lock bash bench/mast-only.sh
#
# Settings: RUNS=3, SECS=10, WARMUP=5, FIXED_RATE=50000 and PLUGIN_SCENARIOS="unlimited fixed" (plugins),
# EXHOOK_VARIANTS="none java java-unary java-unary-inflight python python-unary",
# EXHOOK_SCENARIOS="1to1 100pairs latency" (latency: p99 at LATENCY_RATE=10000 msg/s, 1 -> 1),
# part exhook-cpu (broker CPU per unary call: QoS 1, 100 pairs at CPU_RATE=10000 msg/s in all, without a hook and with
# the unary Java hook, alternating runs, each on a fresh broker after two unrecorded ones; with BEFORE_JARS=dir, the
# same with the jars of that directory too, recorded as exhook-cpu-before-*),
# PARTS="plugins exhook storage" (exhook-cpu on request), PORT,
# BROKER_CPUS and BENCH_CPUS (taskset -c lists pinning the broker and the generator). Results: bench/work/results/mast-only.jsonl.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_jars
RUNS=${RUNS:-3}
SECS=${SECS:-10}
WARMUP=${WARMUP:-5}
FIXED_RATE=${FIXED_RATE:-50000}
PLUGIN_SCENARIOS=${PLUGIN_SCENARIOS:-"unlimited fixed"}
EXHOOK_VARIANTS=${EXHOOK_VARIANTS:-"none java java-unary java-unary-inflight python python-unary"}
EXHOOK_SCENARIOS=${EXHOOK_SCENARIOS:-"1to1 100pairs latency"}
LATENCY_RATE=${LATENCY_RATE:-10000}
CPU_RATE=${CPU_RATE:-10000}
BEFORE_JARS=${BEFORE_JARS:-}
PARTS=${PARTS:-"plugins exhook storage"}
mkdir -p "$work/results"
out="$work/results/mast-only.jsonl"
printf '{"machine":%s,"settings":{"runs":%s,"seconds":%s,"warmup":%s,"broker_jvm":"%s","bench_jvm":"%s","broker_cpus":"%s","bench_cpus":"%s"}}\n' \
  "$(machine_json)" "$RUNS" "$SECS" "$WARMUP" "$BROKER_JVM_OPTS" "$BENCH_JVM_OPTS" "$BROKER_CPUS" "$BENCH_CPUS" > "$out"
trap stop_broker EXIT
common="-V 5 --seconds $SECS --warmup $WARMUP --threads 2"

listener="listeners:
  - type: tcp
    bind: 127.0.0.1
    port: $PORT
limits:
  max_queued_messages: 1000
  max_inflight_messages: 32"

# measure_once LABEL SCENARIO RUN ARGS...: one run against the running broker, recording the broker's CPU seconds
# spent during it.
measure_once() {
  local label=$1 sc=$2 run=$3 before cpu
  shift 3
  before=$(cpu_seconds "$BROKER_PID")
  run_bench "$@"
  cpu=$(awk -v a="$(cpu_seconds "$BROKER_PID")" -v b="$before" 'BEGIN { printf "%.2f", a - b }')
  record "$out" "$label" "$sc" "$run" "$BENCH_JSON" "\"broker_cpu_s\":$cpu"
  echo "$label $sc run $run: $(printf '%s' "$BENCH_JSON" | grep -o '"receive_rate":[0-9.]*'), broker CPU $cpu s" >&2
}

# measure LABEL SCENARIO ARGS...: RUNS runs of one scenario against the running broker.
measure() {
  local label=$1 sc=$2 run
  shift 2
  for ((run = 1; run <= RUNS; run++)); do
    measure_once "$label" "$sc" "$run" "$@"
  done
}

if [[ " $PARTS " == *" plugins "* ]]; then
  mkdir -p "$work/conf"
  printf 'topic readwrite bench/#\npattern readwrite clients/%%c/#\n' > "$work/conf/acl"
  # The two configurations take turns, a fresh broker for every run, so that drift of the machine (other tenants,
  # thermal state) falls on both alike. Besides the unlimited rate, a fixed rate of $FIXED_RATE msg/s: both brokers
  # then handle the same messages, and the broker's CPU time per message is the cost without the load generator's
  # noise.
  for ((run = 1; run <= RUNS; run++)); do
    for variant in none acl; do
      if [ $variant = acl ]; then
        MAST_YAML="$listener
storage:
  type: memory
plugins:
  io.mast.plugins.AclFilePlugin:
    acl_file: $work/conf/acl"
      else
        MAST_YAML="$listener
storage:
  type: memory"
      fi
      export MAST_YAML
      start_broker mast
      if [[ " $PLUGIN_SCENARIOS " == *" unlimited "* ]]; then
        measure_once "plugins-$variant" qos0-1to1 "$run" pubsub --topology 1to1 -q 0 $common
        measure_once "plugins-$variant" qos1-1to1 "$run" pubsub --topology 1to1 -q 1 $common
      fi
      if [[ " $PLUGIN_SCENARIOS " == *" fixed "* ]]; then
        # The broker's JIT compilers keep working for about half a minute at this rate, and their CPU time counts:
        # two unrecorded runs first, then the recorded one.
        for warm in 1 2; do run_bench pubsub --topology 1to1 -q 1 --rate "$FIXED_RATE" $common; done
        measure_once "plugins-$variant" qos1-fixed "$run" pubsub --topology 1to1 -q 1 --rate "$FIXED_RATE" $common
      fi
      stop_broker
    done
  done
fi

# exhook_yaml VARIANT: the exhook section of a variant. java* and python* are the no-op SDK servers (bench/hooks),
# started by the broker; -unary adds streaming: false (EMQX's unary calls), -inflight publish_inflight: 32.
exhook_yaml() {
  local options=""
  case $1 in *-unary*) options="$options
      streaming: false" ;; esac
  case $1 in *-inflight) options="$options
      publish_inflight: 32" ;; esac
  case $1 in
    none) ;;
    java*) printf '%s' "
exhook:
  servers:
    - name: noop-java
      url: http://127.0.0.1:$((PORT + 1))
      command: [\"$java\", \"-cp\", \"$jars/exhook-java-example.jar\", \"$root/bench/hooks/NoopHook.java\", \"$((PORT + 1))\"]
      start_timeout: 60s$options" ;;
    python*) printf '%s' "
exhook:
  servers:
    - name: noop-python
      url: http://127.0.0.1:$((PORT + 1))
      command: [\"/usr/bin/python3\", \"$root/bench/hooks/noop_hook.py\", \"$((PORT + 1))\"]
      env: {PYTHONPATH: \"$root/sdk/python\"}
      start_timeout: 60s$options" ;;
  esac
}

if [[ " $PARTS " == *" exhook "* ]]; then
  for variant in $EXHOOK_VARIANTS; do
    export MAST_YAML="$listener
storage:
  type: memory$(exhook_yaml "$variant")"
    start_broker mast
    # Unary calls about one client are made one after the other (as EMQX makes them), so one publisher measures the
    # round trip; with publish_inflight or over Mast's stream they overlap. 100 publishers measure what the hook
    # server costs the broker as a whole; the latency scenario, the p99 at a rate every variant sustains.
    for sc in $EXHOOK_SCENARIOS; do
      case $sc in
        1to1) measure "exhook-$variant" qos1-1to1 pubsub --topology 1to1 -q 1 $common ;;
        100pairs) measure "exhook-$variant" qos1-100pairs pubsub --topology 1to1 --pubs 100 --subs 100 -q 1 $common ;;
        latency) measure "exhook-$variant" qos1-latency pubsub --topology 1to1 -q 1 --rate "$LATENCY_RATE" $common ;;
      esac
    done
    stop_broker
  done
fi

if [[ " $PARTS " == *" exhook-cpu "* ]]; then
  # The broker's CPU time per message at a fixed rate, without a hook and with the unary Java hook: the difference is
  # the broker's CPU per unary call. JIT compilation counts in the process's CPU time, hence two unrecorded runs first.
  after_jars=$jars
  sets="after"
  [ -z "$BEFORE_JARS" ] || sets="before after"
  per_pub=$((CPU_RATE / 100))
  for ((run = 1; run <= RUNS; run++)); do
    for set in $sets; do
      jars=$after_jars
      label="exhook-cpu"
      if [ "$set" = before ]; then jars=$BEFORE_JARS; label="exhook-cpu-before"; fi
      for variant in none java-unary; do
        # Jars from before issue 17 know no `streaming` option; their SDK offers no stream, so the calls are unary.
        yaml_variant=$variant
        if [ "$set" = before ] && [ "$variant" = java-unary ]; then yaml_variant=java; fi
        export MAST_YAML="$listener
storage:
  type: memory$(exhook_yaml "$yaml_variant")"
        start_broker mast
        for warm in 1 2; do run_bench pubsub --topology 1to1 --pubs 100 --subs 100 -q 1 --rate "$per_pub" $common; done
        measure_once "$label-$variant" qos1-100pairs-fixed "$run" pubsub --topology 1to1 --pubs 100 --subs 100 -q 1 \
          --rate "$per_pub" $common
        stop_broker
      done
    done
  done
  jars=$after_jars
fi

if [[ " $PARTS " == *" storage "* ]]; then
  for variant in memory interval always; do
    case $variant in
      memory) storage="storage:
  type: memory" ;;
      interval) storage="storage:
  type: rocksdb
  path: $work/run/mast/data" ;;
      always) storage="storage:
  type: rocksdb
  path: $work/run/mast/data
  sync: always" ;;
    esac
    export MAST_YAML="$listener
$storage"
    start_broker mast
    measure "storage-$variant" qos1-persistent pubsub --topology 1to1 -q 1 -c $common
    stop_broker
  done
fi
unset MAST_YAML
python3 "$root/bench/report.py"
