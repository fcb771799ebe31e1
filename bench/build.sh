#!/usr/bin/env bash
# Builds what the benchmark scripts run, then copies it to bench/work/jars so that a rebuild by someone else cannot
# change a jar in the middle of a measurement:
#   mast-cli/target/mast.jar (broker and `mast bench`), mast-bench/target/benchmarks.jar (JMH),
#   examples/exhook-java/target/exhook-java-example.jar (the Java hook SDK, for the no-op hook server),
#   bench/peers/{hivemq,moquette}/target (HiveMQ CE embedded, Moquette 0.17; never committed).
# Builds go through `mvnl` (a machine-wide lock: never two Maven builds at once) when it exists, ./mvnw otherwise.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn=./mvnw
command -v mvnl >/dev/null 2>&1 && mvn=mvnl
$mvn -q -B -DskipTests -pl mast-cli,mast-bench,examples/exhook-java -am package
$mvn -q -B -DskipTests -f bench/peers/pom.xml package
jars=bench/work/jars
rm -rf "$jars"
mkdir -p "$jars"
cp mast-cli/target/mast.jar mast-bench/target/benchmarks.jar examples/exhook-java/target/exhook-java-example.jar "$jars/"
for p in hivemq moquette; do
  mkdir -p "$jars/$p"
  cp "bench/peers/$p/target/$p-peer.jar" "$jars/$p/"
  cp -r "bench/peers/$p/target/lib" "$jars/$p/"
done
echo "built: $(ls "$jars" | tr '\n' ' ')"
