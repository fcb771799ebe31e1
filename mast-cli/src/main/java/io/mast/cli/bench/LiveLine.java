package io.mast.cli.bench;

import java.util.Locale;

/** The line {@code mast bench} prints every second. */
public final class LiveLine {

    private LiveLine() {
    }

    /**
     * The line of one second.
     *
     * @param second     seconds since the run started
     * @param sent       messages sent in this second
     * @param received   messages received in this second
     * @param p50        median latency of this second in ms (NaN: none)
     * @param p99        99th percentile latency of this second in ms (NaN: none)
     * @param errors     errors so far
     * @param connected  connections up now
     * @param publishing true when the run has publishers (shows sent/s), false otherwise
     * @param receiving  true when the run has subscribers (shows received/s and latency)
     */
    public static String format(long second, long sent, long received, double p50, double p99, long errors,
                                int connected, boolean publishing, boolean receiving) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%5ds", second));
        if (publishing) {
            sb.append(String.format(Locale.ROOT, "  sent %,9d/s", sent));
        }
        if (receiving) {
            sb.append(String.format(Locale.ROOT, "  received %,10d/s  p50 %s ms  p99 %s ms", received,
                    BenchResult.num(p50), BenchResult.num(p99)));
        }
        sb.append(String.format(Locale.ROOT, "  errors %,d  connections %,d", errors, connected));
        return sb.toString();
    }

    /** The line of one second of {@code conn}: connections up, new ones, and the connect latency of the new ones. */
    public static String formatConn(long second, int connected, long accepted, double p50, double p99, long errors) {
        return String.format(Locale.ROOT, "%5ds  connections %,7d  new %,6d/s  connect p50 %s ms  p99 %s ms  errors %,d",
                second, connected, accepted, BenchResult.num(p50), BenchResult.num(p99), errors);
    }
}
