package io.mast.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of a run, printable as a table for people, or as JSON or CSV for scripts.
 *
 * @param scenario        what ran, in words
 * @param mode            {@code conn}, {@code pub}, {@code sub} or {@code pubsub}
 * @param topology        {@code 1to1}, {@code fanin}, {@code fanout}, or empty
 * @param qos             the QoS
 * @param payloadSize     bytes per message
 * @param publishers      publishing clients
 * @param subscribers     subscribing clients
 * @param connections     connections attempted
 * @param connected       connections accepted (at most at once)
 * @param seconds         how long messages were published (or, without publishers, received or held)
 * @param sent            messages the broker took: acknowledged at QoS 1 and 2, written at QoS 0
 * @param received        distinct messages received (each copy of a fan-out counts)
 * @param expected        messages the subscribers should have received, or -1 when the run cannot know
 * @param lost            expected messages that never arrived, or -1 when the run cannot know
 * @param duplicates      messages received again
 * @param stale           messages of an earlier run (kept by a persistent session) received and ignored
 * @param errors          failed connections, subscriptions, publishes and lost connections
 * @param sendRate        {@code sent} per second of publishing
 * @param receiveRate     {@code received} per second of publishing
 * @param latency         end-to-end message latency, from publish call to arrival
 * @param connectLatency  time from starting a connection to its CONNACK
 * @param connectRate     connections accepted per second while {@code conn} opened them (NaN for other modes)
 */
public record BenchResult(String scenario, String mode, String topology, int qos, int payloadSize, int publishers,
                          int subscribers, int connections, int connected, double seconds, long sent, long received,
                          long expected, long lost, long duplicates, long stale, long errors, double sendRate,
                          double receiveRate, Latency latency, Latency connectLatency, double connectRate) {

    /** A result without a connection rate (the publishing and subscribing modes). */
    public BenchResult(String scenario, String mode, String topology, int qos, int payloadSize, int publishers,
                       int subscribers, int connections, int connected, double seconds, long sent, long received,
                       long expected, long lost, long duplicates, long stale, long errors, double sendRate,
                       double receiveRate, Latency latency, Latency connectLatency) {
        this(scenario, mode, topology, qos, payloadSize, publishers, subscribers, connections, connected, seconds, sent,
                received, expected, lost, duplicates, stale, errors, sendRate, receiveRate, latency, connectLatency,
                Double.NaN);
    }

    /** The same result with the rate at which {@code conn} opened its connections. */
    public BenchResult withConnectRate(double rate) {
        return new BenchResult(scenario, mode, topology, qos, payloadSize, publishers, subscribers, connections,
                connected, seconds, sent, received, expected, lost, duplicates, stale, errors, sendRate, receiveRate,
                latency, connectLatency, rate);
    }

    /**
     * Latency figures in milliseconds (NaN when nothing was measured).
     *
     * @param count how many values
     */
    public record Latency(long count, double min, double p50, double p90, double p99, double p999, double max,
                          double mean) {

        /** The figures of a histogram in microseconds. */
        public static Latency of(Histogram h) {
            double mean = h.getTotalCount() == 0 ? Double.NaN : h.getMean() / 1000.0;
            return new Latency(h.getTotalCount(), BenchStats.ms(h, 0), BenchStats.ms(h, 50), BenchStats.ms(h, 90),
                    BenchStats.ms(h, 99), BenchStats.ms(h, 99.9), BenchStats.ms(h, 100), mean);
        }
    }

    /**
     * True when the run failed: any error, a message lost at QoS 1 or 2, or a duplicate at QoS 2. Losing QoS 0
     * messages is allowed by MQTT and only reported.
     */
    public boolean failed() {
        return errors > 0 || qos >= 1 && lost > 0 || qos == 2 && duplicates > 0;
    }

    /** The summary table. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        row(sb, "scenario", scenario);
        row(sb, "connections", connected + " of " + connections + " accepted");
        if (!Double.isNaN(connectRate)) {
            row(sb, "connect rate", String.format(Locale.ROOT, "%,.0f connections/s while opening them", connectRate));
        }
        if (!mode.equals("conn")) {
            row(sb, "duration", String.format(Locale.ROOT, "%.1f s", seconds));
        }
        if (publishers > 0) {
            row(sb, "sent", String.format(Locale.ROOT, "%,d (%,.0f msg/s)", sent, sendRate));
        }
        if (subscribers > 0) {
            row(sb, "received", String.format(Locale.ROOT, "%,d (%,.0f msg/s)", received, receiveRate));
        }
        if (expected >= 0) {
            row(sb, "expected", String.format(Locale.ROOT, "%,d", expected));
            row(sb, "lost", String.format(Locale.ROOT, "%,d%s", lost,
                    lost > 0 && expected > 0 ? String.format(Locale.ROOT, " (%.3f%%)", 100.0 * lost / expected) : ""));
        }
        if (subscribers > 0) {
            row(sb, "duplicates", String.format(Locale.ROOT, "%,d", duplicates));
            if (stale > 0) {
                row(sb, "stale", String.format(Locale.ROOT, "%,d (from an earlier run, ignored)", stale));
            }
        }
        row(sb, "errors", String.format(Locale.ROOT, "%,d", errors));
        if (latency.count() > 0) {
            row(sb, "latency ms", latencyLine(latency));
        }
        if (connectLatency.count() > 0) {
            row(sb, "connect ms", latencyLine(connectLatency));
        }
        return sb.toString();
    }

    private static String latencyLine(Latency l) {
        return String.format(Locale.ROOT, "min %s  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (mean %s, %,d values)",
                num(l.min), num(l.p50), num(l.p90), num(l.p99), num(l.p999), num(l.max), num(l.mean), l.count);
    }

    private static void row(StringBuilder sb, String name, String value) {
        sb.append(String.format(Locale.ROOT, "%-12s %s%n", name, value));
    }

    /** A number of milliseconds with three significant decimals. */
    static String num(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms) : ms >= 10 ? String.format(Locale.ROOT, "%.1f", ms)
                : ms >= 1 ? String.format(Locale.ROOT, "%.2f", ms) : String.format(Locale.ROOT, "%.3f", ms);
    }

    /** The result as named values, in a stable order (the JSON keys and CSV columns). */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("mode", mode);
        m.put("topology", topology);
        m.put("qos", qos);
        m.put("payload_size", payloadSize);
        m.put("publishers", publishers);
        m.put("subscribers", subscribers);
        m.put("connections", connections);
        m.put("connected", connected);
        m.put("seconds", round(seconds));
        m.put("sent", sent);
        m.put("received", received);
        m.put("expected", expected);
        m.put("lost", lost);
        m.put("duplicates", duplicates);
        m.put("stale", stale);
        m.put("errors", errors);
        m.put("send_rate", round(sendRate));
        m.put("receive_rate", round(receiveRate));
        latencyFields(m, "latency_ms_", latency);
        latencyFields(m, "connect_ms_", connectLatency);
        m.put("connect_rate", round(connectRate));
        m.put("failed", failed());
        return m;
    }

    private static void latencyFields(Map<String, Object> m, String prefix, Latency l) {
        m.put(prefix + "min", round(l.min));
        m.put(prefix + "p50", round(l.p50));
        m.put(prefix + "p90", round(l.p90));
        m.put(prefix + "p99", round(l.p99));
        m.put(prefix + "p999", round(l.p999));
        m.put(prefix + "max", round(l.max));
        m.put(prefix + "mean", round(l.mean));
    }

    private static Object round(double d) {
        return Double.isNaN(d) ? null : Math.round(d * 1000) / 1000.0;
    }

    /** One JSON object on one line. */
    public String json() {
        List<String> parts = new ArrayList<>();
        fields().forEach((k, v) -> parts.add("\"" + k + "\":" + jsonValue(v)));
        return "{" + String.join(",", parts) + "}";
    }

    private static String jsonValue(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.append('"').toString();
        }
        return v.toString();
    }

    /** The CSV header line. */
    public String csvHeader() {
        return String.join(",", fields().keySet());
    }

    /** The CSV line of this result. */
    public String csvRow() {
        List<String> cells = new ArrayList<>();
        for (Object v : fields().values()) {
            String s = v == null ? "" : v.toString();
            if (s.contains(",") || s.contains("\"")) {
                s = "\"" + s.replace("\"", "\"\"") + "\"";
            }
            cells.add(s);
        }
        return String.join(",", cells);
    }
}
