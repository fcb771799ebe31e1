package io.mast.cli.bench;

/**
 * The time stamped into payloads: {@link System#nanoTime()} shifted once to the epoch. Within one process it is as
 * exact and monotonic as {@code nanoTime}; between two processes on one machine (a {@code mast bench pub} and a
 * {@code mast bench sub}) the two offsets agree to about a millisecond.
 */
public final class BenchClock {

    private static final long OFFSET = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

    private BenchClock() {
    }

    /** Nanoseconds since the epoch, at {@code nanoTime}'s resolution. */
    public static long now() {
        return System.nanoTime() + OFFSET;
    }
}
