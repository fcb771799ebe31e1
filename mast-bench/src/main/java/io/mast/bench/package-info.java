/**
 * JMH benchmarks: {@link io.mast.bench.TopicTreeBenchmark} (subscribe and match at 1k to 1M subscriptions),
 * {@link io.mast.bench.CodecBenchmark} (PUBLISH decode and encode) and {@link io.mast.bench.RecoveryBenchmark}
 * (RocksDB load and broker restore of 10k sessions with 100k queued messages). How to run them: docs/benchmarks.md.
 */
package io.mast.bench;
