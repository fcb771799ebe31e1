/**
 * The engine of {@code mast bench}: scenarios ({@link io.mast.cli.bench.Scenario}), the runner that drives clients
 * from their own I/O threads ({@link io.mast.cli.bench.BenchRunner}), exact message accounting
 * ({@link io.mast.cli.bench.SequenceTracker}), latency and counters ({@link io.mast.cli.bench.BenchStats}) and the
 * results in table, JSON and CSV form ({@link io.mast.cli.bench.BenchResult}).
 */
package io.mast.cli.bench;
