#!/usr/bin/env bash
# Where Mast's time goes in one scenario: starts Mast (memory), records it with JDK Flight Recorder while
# `mast bench` runs the scenario, and prints the hottest frames (self and total) of the broker's execution samples.
#
#   flock -o /tmp/mast-maven.lock bash bench/profile.sh pubsub --topology 1to1 -q 1 -V 311 --seconds 10 --warmup 5
#
# The recording stays in bench/work/profile.jfr (open it with JDK Mission Control, or `jfr summary`).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_jars
trap stop_broker EXIT
start_broker mast
rec="$work/profile.jfr"
"$jcmd" "$BROKER_PID" JFR.start name=bench settings=profile > /dev/null
run_bench "$@" --threads 2
"$jcmd" "$BROKER_PID" JFR.dump name=bench filename="$rec" > /dev/null
"$jcmd" "$BROKER_PID" JFR.stop name=bench > /dev/null
echo "$BENCH_JSON" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("received %.0f msg/s, sent %.0f msg/s, lost %d" % (r["receive_rate"], r["send_rate"], r["lost"]))'
"$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample "$rec" > "$work/profile-samples.txt"
python3 - "$work/profile-samples.txt" <<'PY'
import collections, re, sys
text = open(sys.argv[1]).read().split("jdk.ExecutionSample")[1:]
self_c, total_c, pkg_c = collections.Counter(), collections.Counter(), collections.Counter()
for s in text:
    frames = re.findall(r"^\s+([\w.$<>]+)\(.*?\)\s+line:", s, re.M)
    if not frames:
        continue
    self_c[frames[0]] += 1
    for f in set(frames):
        total_c[f] += 1
    top_mast = next((f for f in frames if f.startswith("io.mast.")), None)
    pkg_c[".".join(frames[0].split(".")[:3])] += 1
n = len(text)
print(f"{n} samples (broker threads executing Java code)")
print("\nself time, top 25:")
for f, c in self_c.most_common(25):
    print(f"  {100 * c / n:5.1f}%  {f}")
print("\ntotal time (frame on the stack), top 40:")
for f, c in total_c.most_common(40):
    print(f"  {100 * c / n:5.1f}%  {f}")
print("\nself time by package prefix:")
for f, c in pkg_c.most_common(12):
    print(f"  {100 * c / n:5.1f}%  {f}")
PY
