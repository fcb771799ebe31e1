#!/usr/bin/env bash
# The figures of the built-in integrations (issue 15), against a real Kafka (KRaft, from mast-it-kafka's jars) and a
# real PostgreSQL (Debian's), both started here on 127.0.0.1 and stopped by PID:
#   - QoS 1 messages per second published through the Kafka bridge (acks=all), with the PUBACK as usual and with
#     ack_after_kafka, against QoS 1 without the bridge;
#   - online-status rows per second during a connection storm (OnlineStatusPlugin).
#
#   bench/build.sh && mvnl -B -ntp -q -f mast-it-kafka/pom.xml package && flock /tmp/mast-maven.lock bash bench/integrations.sh
#
# Settings: RUNS=3, SECS=10, WARMUP=3, PUBS=4, STORM=5000 (connections), PORT, KAFKA_PORT=19092, PG_PORT=15432,
# KAFKA_VARIANTS="none bridge bridge-ack" (none: no bridge; bridge: acks=all, PUBACK as usual; bridge-ack: acks=all
# and ack_after_kafka), STATUS_MODES="storm backlog" (storm: rows while 5000 clients connect; backlog: the table is
# locked during the storm, then the time for the buffered rows to be written is measured: the writer's capacity).
# Prints one line per run and the medians; writes nothing under docs/ (bench/figures/integrations.md is written by
# hand from the output).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_jars
RUNS=${RUNS:-3}
SECS=${SECS:-10}
WARMUP=${WARMUP:-3}
PUBS=${PUBS:-4}
STORM=${STORM:-5000}
KAFKA_PORT=${KAFKA_PORT:-19092}
PG_PORT=${PG_PORT:-15432}
KAFKA_VARIANTS=${KAFKA_VARIANTS:-"none bridge bridge-ack"}
STATUS_MODES=${STATUS_MODES:-"storm backlog"}
kafka_jars="$root/mast-it-kafka/target/kafka-server"
[ -d "$kafka_jars" ] || die "no $kafka_jars: run mvnl -B -ntp -q -f mast-it-kafka/pom.xml package first"
run="$work/run/integrations"
rm -rf "$run"
mkdir -p "$run"
KAFKA_PID=
PG_PID=

cleanup() {
  stop_broker
  [ -z "$KAFKA_PID" ] || { kill "$KAFKA_PID" 2>/dev/null || true; wait "$KAFKA_PID" 2>/dev/null || true; }
  [ -z "$PG_PID" ] || { kill -INT "$PG_PID" 2>/dev/null || true; for _ in $(seq 100); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done; }
}
trap cleanup EXIT

start_kafka() {
  cat > "$run/kafka.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((KAFKA_PORT + 1))
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$((KAFKA_PORT + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$run/kafka-data
num.partitions=4
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
EOF
  local kjava=("$java" -Xms512m -Xmx1g -cp "$kafka_jars/*")
  "${kjava[@]}" kafka.tools.StorageTool format -t "$("${kjava[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)" \
    -c "$run/kafka.properties" > "$run/kafka-format.log" 2>&1
  "${kjava[@]}" kafka.Kafka "$run/kafka.properties" > "$run/kafka.log" 2>&1 &
  KAFKA_PID=$!
  wait_port "$KAFKA_PORT" 60 || die "Kafka did not start; see $run/kafka.log"
  sleep 3
}

start_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  local as=()
  [ "$(id -u)" != 0 ] || { as=(runuser -u postgres --); chown postgres "$run"; }
  "${as[@]}" "$bin/initdb" -D "$run/pg" -U mast --auth=trust > "$run/initdb.log" 2>&1
  "${as[@]}" "$bin/postgres" -D "$run/pg" -p "$PG_PORT" -c listen_addresses=127.0.0.1 -k "$run" \
    -c fsync=on -c synchronous_commit=on > "$run/pg.log" 2>&1 &
  wait_port "$PG_PORT" 30 || die "PostgreSQL did not start; see $run/pg.log"
  # The postmaster's own PID (under root, $! is runuser's, which does not pass SIGINT on).
  PG_PID=$(head -1 "$run/pg/postmaster.pid")
  sleep 1
}

psql_q() { psql -h 127.0.0.1 -p "$PG_PORT" -U mast -d postgres -Atq -c "$1"; }

listener="listeners:
  - type: tcp
    bind: 127.0.0.1
    port: $PORT
limits:
  max_queued_messages: 1000
  max_inflight_messages: 32
storage:
  type: memory"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

kafka_figures() {
  start_kafka
  local variant rate
  for variant in $KAFKA_VARIANTS; do
    : > "$run/$variant.rates"
  done
  for ((r = 1; r <= RUNS; r++)); do
    for variant in $KAFKA_VARIANTS; do
      case $variant in
        none) MAST_YAML="$listener" ;;
        *) MAST_YAML="$listener
plugins:
  io.mast.kafka.KafkaBridgePlugin:
    bootstrap_servers: 127.0.0.1:$KAFKA_PORT
    routes:
      - filters: ['bench/#']
        topic: mqtt.bench
        key: \${clientid}
    acks: all
    ack_after_kafka: $([ $variant = bridge-ack ] && echo true || echo false)" ;;
      esac
      export MAST_YAML
      start_broker mast
      run_bench pub -V 5 -q 1 -n "$PUBS" -t 'bench/%i' --seconds "$SECS" --warmup "$WARMUP" --inflight 32 --threads 2
      rate=$(printf '%s' "$BENCH_JSON" | grep -o '"send_rate":[0-9.]*' | cut -d: -f2)
      echo "kafka $variant run $r: ${rate:-failed} msg/s ($LAST_CMD)" >&2
      echo "${rate:-0}" >> "$run/$variant.rates"
      stop_broker
    done
  done
  for variant in $KAFKA_VARIANTS; do
    echo "kafka $variant ($PUBS publishers) median: $(median < "$run/$variant.rates") msg/s"
  done
}

status_figures() {
  start_postgres
  local r t0 t1 mode locker
  for mode in $STATUS_MODES; do
    : > "$run/status-$mode.rates"
    for ((r = 1; r <= RUNS; r++)); do
      psql_q "DROP TABLE IF EXISTS mqtt_client_status, mqtt_client_history"
      MAST_YAML="$listener
plugins:
  io.mast.postgres.OnlineStatusPlugin:
    url: jdbc:postgresql://127.0.0.1:$PG_PORT/postgres
    username: mast
    create_tables: true"
      export MAST_YAML
      start_broker mast
      until [ "$(psql_q "SELECT to_regclass('mqtt_client_status') IS NOT NULL")" = t ]; do sleep 0.1; done
      rm -f "$run/status.done"
      locker=
      if [ "$mode" = backlog ]; then
        # The writer's first batch waits for this lock while the storm fills the buffer.
        psql_q "BEGIN; LOCK TABLE mqtt_client_status IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(15); COMMIT" &
        locker=$!
        sleep 0.5
      fi
      t0=$(date +%s.%N)
      # The poller notes when the last row came, while the storm runs in the foreground.
      (
        n=0
        while [ "$n" -lt "$STORM" ]; do
          sleep 0.05
          n=$(psql_q "SELECT count(*) FROM mqtt_client_status WHERE online")
          awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN { exit !(a - b > 120) }' && exit 1
        done
        date +%s.%N > "$run/status.done"
      ) &
      local poller=$!
      if [ "$mode" = backlog ]; then
        run_bench conn -V 5 -n "$STORM" --seconds 25 --threads 2 &
        local storm=$!
        wait "$locker"
        t0=$(date +%s.%N)   # the lock is gone: from here the writer drains its buffer
        wait "$storm"
      else
        run_bench conn -V 5 -n "$STORM" --seconds 20 --threads 2
      fi
      wait "$poller" || die "the rows did not come within 120 s"
      t1=$(cat "$run/status.done")
      local rate
      rate=$(awk -v n="$STORM" -v a="$t1" -v b="$t0" 'BEGIN { printf "%.0f", n / (a - b) }')
      echo "status $mode run $r: $STORM online rows $(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.2f", a - b }') s after the start ($mode): $rate rows/s" >&2
      echo "$rate" >> "$run/status-$mode.rates"
      stop_broker
    done
    echo "online status $mode median: $(median < "$run/status-$mode.rates") rows/s"
  done
}

[ -z "$KAFKA_VARIANTS" ] || kafka_figures
[ -z "$STATUS_MODES" ] || status_figures
