#!/usr/bin/env bash
# The JMH benchmarks of mast-bench (topic tree, codec, RocksDB recovery), results in bench/work/results/jmh.json,
# then docs/benchmarks.md is written again (bench/report.py).
#
#   bench/build.sh && flock -o /tmp/mast-maven.lock bash bench/jmh.sh [JMH ARGS]
#
# Without arguments: every benchmark with its own settings (about 15 minutes). With arguments, they go to JMH, e.g.
# bench/jmh.sh TopicTreeBenchmark.match -p subscriptions=1000000
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ -f "$jars/benchmarks.jar" ] || die "no $jars/benchmarks.jar: run bench/build.sh first"
mkdir -p "$work/results"
"$java" -jar "$jars/benchmarks.jar" -rf json -rff "$work/results/jmh.json" "$@"
python3 "$root/bench/report.py"
