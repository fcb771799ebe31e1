#!/usr/bin/env bash
# Logins per second with the PostgreSQL source (issue 15): `mast bench conn` opens CONNECTIONS MQTT 3.1.1
# connections, as fast as the broker accepts them (up to 1000 being opened at once), all with the user name alice and
# her password, and reports the rate at which they were accepted. Against Mast with no auth plugin (anonymous clients
# from this machine, the default), with SqlAuthPlugin and no cache (every login runs the query on PostgreSQL and checks
# a salted SHA-256 hash), and with SqlAuthPlugin and cache_ttl 1h (logins after the first find the row in memory; the
# hash is still checked every time). PostgreSQL is Debian's, started here on 127.0.0.1 with a data directory in
# bench/work/pg (as the postgres user when run as root), 10,000 rows in mqtt_user, and stopped by its PID at the end.
#
#   bench/build.sh && heavy bash bench/auth-sql.sh
#
# Settings: RUNS=3, CONNECTIONS=5000, POOL_SIZE=8, PORT, PG_PORT=18833. Results: bench/work/results/auth-sql.jsonl;
# the Markdown table for bench/figures/auth.md is printed at the end.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_jars
RUNS=${RUNS:-3}
CONNECTIONS=${CONNECTIONS:-5000}
POOL_SIZE=${POOL_SIZE:-8}
PG_PORT=${PG_PORT:-18833}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pg_bin" ] || die "PostgreSQL is not installed (apt-get install postgresql)"
pg="$work/pg"
mkdir -p "$work/results"
out="$work/results/auth-sql.jsonl"
printf '{"machine":%s,"settings":{"runs":%s,"connections":%s,"pool_size":%s,"broker_jvm":"%s","bench_jvm":"%s","postgres":"%s"}}\n' \
  "$(machine_json)" "$RUNS" "$CONNECTIONS" "$POOL_SIZE" "$BROKER_JVM_OPTS" "$BENCH_JVM_OPTS" \
  "$("$pg_bin/postgres" --version)" > "$out"

as_postgres=()
[ "$(id -u)" != 0 ] || as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
PG_PID=
stop_pg() {
  [ -n "$PG_PID" ] || return 0
  kill -INT "$PG_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 200; i++)); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$PG_PID" 2>/dev/null || true
  PG_PID=
}
trap 'stop_broker; stop_pg' EXIT

rm -rf "$pg"
mkdir -p "$pg"
printf 'bench\n' > "$pg/pwfile"
[ "$(id -u)" != 0 ] || chown -R postgres:postgres "$pg"
"${as_postgres[@]}" "$pg_bin/initdb" -D "$pg/data" -U mast --pwfile="$pg/pwfile" --auth-host=scram-sha-256 \
  -E UTF8 --no-locale --no-sync > "$pg/initdb.log" 2>&1
# Without the descriptors above 2 (the machine lock among them): should this script die before stopping it, a
# PostgreSQL left behind must not keep holding /tmp/mast-maven.lock.
(
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    [ "$fd" -le 2 ] || eval "exec $fd>&-"
  done
  exec "${as_postgres[@]}" "$pg_bin/postgres" -D "$pg/data" -p "$PG_PORT" -c listen_addresses=127.0.0.1 \
    -c unix_socket_directories= -c max_connections=100 > "$pg/postgres.log" 2>&1
) &
PG_PID=$!
wait_port "$PG_PORT" 60 || { cat "$pg/postgres.log" >&2; die "postgres did not listen on $PG_PORT"; }
export PGPASSWORD=bench
psql -q -h 127.0.0.1 -p "$PG_PORT" -U mast -d postgres -v ON_ERROR_STOP=1 <<'SQL'
CREATE TABLE mqtt_user (
  id serial PRIMARY KEY,
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  salt text,
  is_superuser boolean NOT NULL DEFAULT false);
INSERT INTO mqtt_user (username, password_hash, salt)
  SELECT 'user' || i, encode(sha256(('secret' || i || 'salt' || i)::bytea), 'hex'), 'salt' || i
  FROM generate_series(1, 9999) AS i;
INSERT INTO mqtt_user (username, password_hash, salt)
  VALUES ('alice', encode(sha256('secretNaCl'::bytea), 'hex'), 'NaCl');
ANALYZE mqtt_user;
SQL

listener="listeners:
  - type: tcp
    bind: 127.0.0.1
    port: $PORT
storage:
  type: memory
# All the load comes from one address: let every login wait its turn rather than be refused with 0x89 Server busy
# after 32 (the default max_pending_per_address guards against one address flooding the others).
logins:
  max_pending_per_address: 100000"
sql_plugin() {
  printf '%s\n' "plugins:
  io.mast.auth.sql.SqlAuthPlugin:
    database:
      url: jdbc:postgresql://127.0.0.1:$PG_PORT/postgres
      username: mast
      password: bench
      pool_size: $POOL_SIZE
    query: SELECT password_hash, salt, is_superuser FROM mqtt_user WHERE username = \${username}
    password_hash_algorithm: {name: sha256, salt_position: suffix}
    cache_ttl: $1"
}

# The variants take turns, a fresh broker for each run, so that drift of the machine falls on all alike.
for ((run = 1; run <= RUNS; run++)); do
  for variant in none sql-nocache sql-cache; do
    case $variant in
      none) MAST_YAML="$listener" ;;
      sql-nocache) MAST_YAML="$listener
$(sql_plugin 0s)" ;;
      sql-cache) MAST_YAML="$listener
$(sql_plugin 1h)" ;;
    esac
    export MAST_YAML
    start_broker "mast-$variant"
    run_bench conn -n "$CONNECTIONS" $VERSION_ARGS -u alice -P secret --seconds 1 -i "bench-$variant-$run"
    record "$out" "mast-$variant" conn "$run" "$BENCH_JSON"
    echo "$variant run $run: $(printf '%s' "$BENCH_JSON" | grep -o '"connect_rate":[0-9.]*'), $(printf '%s' "$BENCH_JSON" | grep -o '"connected":[0-9]*')" >&2
    stop_broker
  done
done

python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])][1:]
names = {"mast-none": "no auth plugin (anonymous, the default)",
         "mast-sql-nocache": "SqlAuthPlugin, PostgreSQL, no cache",
         "mast-sql-cache": "SqlAuthPlugin, PostgreSQL, cache_ttl 1h"}
print("| broker | logins/s (median, lowest–highest) | connect p50 / p99 ms | accepted |")
print("|---|---|---|---|")
for b, label in names.items():
    rs = [r["result"] for r in rows if r["broker"] == b and r["result"]]
    if not rs:
        continue
    rates = [r["connect_rate"] for r in rs]
    med = statistics.median(rates)
    p50 = statistics.median(r["connect_ms_p50"] for r in rs)
    p99 = statistics.median(r["connect_ms_p99"] for r in rs)
    acc = min(r["connected"] for r in rs)
    print(f"| {label} | {med:,.0f} ({min(rates):,.0f}–{max(rates):,.0f}) | {p50:.1f} / {p99:.1f} | "
          f"{acc:,} of {rs[0]['connections']:,} |")
PY
