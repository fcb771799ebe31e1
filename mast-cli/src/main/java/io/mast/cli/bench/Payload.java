package io.mast.cli.bench;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The payload of a bench message: a header, then filler up to the payload size.
 * <pre>
 * offset 0  2 bytes  magic 0x4D 0x42 ("MB")
 *        2  4 bytes  run identifier (random per run, so messages of an earlier run are told apart)
 *        6  4 bytes  publisher index
 *       10  8 bytes  sequence number of the message for its publisher, from 0
 *       18  8 bytes  send time, {@link BenchClock#now()} in nanoseconds
 * </pre>
 * All numbers are big-endian.
 */
public final class Payload {

    /** The size of the header: the smallest payload the bench can track. */
    public static final int HEADER = 26;

    private Payload() {
    }

    /** A fresh run identifier. */
    public static int newRunId() {
        return ThreadLocalRandom.current().nextInt();
    }

    /** A payload of {@code size} bytes (at least {@link #HEADER}) carrying the header. */
    public static byte[] make(int size, int runId, int publisher, long sequence, long sentAt) {
        byte[] b = new byte[Math.max(size, HEADER)];
        b[0] = 0x4D;
        b[1] = 0x42;
        putInt(b, 2, runId);
        putInt(b, 6, publisher);
        putLong(b, 10, sequence);
        putLong(b, 18, sentAt);
        return b;
    }

    /** True when the payload carries a bench header. */
    public static boolean isBench(byte[] b) {
        return b.length >= HEADER && b[0] == 0x4D && b[1] == 0x42;
    }

    public static int runId(byte[] b) {
        return getInt(b, 2);
    }

    public static int publisher(byte[] b) {
        return getInt(b, 6);
    }

    public static long sequence(byte[] b) {
        return getLong(b, 10);
    }

    public static long sentAt(byte[] b) {
        return getLong(b, 18);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }

    private static long getLong(byte[] b, int at) {
        return (long) getInt(b, at) << 32 | getInt(b, at + 4) & 0xFFFF_FFFFL;
    }
}
