package io.mast.plugins;

import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.Default;
import io.mast.plugin.Message;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the broker's state as retained messages under {@code $SYS/broker/}, with Mosquitto's topic names and
 * formats, every {@code interval} (Mosquitto's {@code sys_interval}): {@code version} (once, at start), {@code uptime}
 * ({@code "42 seconds"}), {@code clients/connected|disconnected|total|maximum}, {@code messages/received|sent},
 * {@code publish/messages/received|sent|dropped}, {@code subscriptions/count}, {@code retained messages/count},
 * {@code heap/current|maximum} (the JVM's heap, bytes), {@code bytes/received|sent}, and the moving averages per
 * minute over 1, 5 and 15 minutes under {@code load/messages/...}, {@code load/publish/...}, {@code load/bytes/...}
 * and {@code load/sockets/...}. As Mosquitto does, a value is published again only when it changed.
 *
 * <p>The values come from {@link BrokerContext#brokerMetrics()}; a topic whose metric the broker does not have is not
 * published. Clients cannot publish to {@code $SYS/}; subscribe to {@code $SYS/#} to read them (a {@code #}
 * subscription does not match {@code $} topics).
 *
 * <pre>{@code
 * plugins:
 *   io.mast.plugins.SysTopicsPlugin: {interval: 10s}
 * }</pre>
 */
public final class SysTopicsPlugin extends BrokerPlugin {

    /**
     * The options.
     *
     * @param interval {@code interval}: how often the topics are updated (default 10s; 0 publishes only the version)
     */
    public record Config(@Default("10s") Duration interval) {
    }

    private static final String PREFIX = "$SYS/broker/";
    private static final String[] LOAD_NAMES = {"1min", "5min", "15min"};
    private static final double[] LOAD_MINUTES = {1, 5, 15};

    /** A moving average as Mosquitto computes it: events per minute, decaying over 1, 5 and 15 minutes. */
    private static final class Load {
        final String topic;
        final String metric;
        final double[] values = new double[3];
        long last = -1;

        Load(String topic, String metric) {
            this.topic = topic;
            this.metric = metric;
        }
    }

    private final Duration interval;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Map<String, String> published = new HashMap<>();
    private final List<Load> loads = new ArrayList<>();
    private long maxClients;
    private long maxHeap;
    private long lastTick;
    private ScheduledFuture<?> task;

    /**
     * Reads the interval; the topics are published from the broker's start on.
     */
    public SysTopicsPlugin(BrokerContext context) {
        super(context);
        this.interval = config(Config.class).interval();
        for (String dir : new String[] {"received", "sent"}) {
            loads.add(new Load("load/messages/" + dir + "/", "messages." + dir));
            loads.add(new Load("load/publish/" + dir + "/", "messages." + dir));
            loads.add(new Load("load/bytes/" + dir + "/", "bytes." + dir));
        }
        loads.add(new Load("load/publish/dropped/", DROPPED));
        loads.add(new Load("load/sockets/", "connections.accepted"));
    }

    /** The name under which {@link #values} puts the sum of the dropped-message counters. */
    private static final String DROPPED = "(dropped)";

    @Override
    public void onBrokerPostStart() {
        publish("version", "mast version " + context().brokerVersion(), true);
        if (interval.isZero() || interval.isNegative() || interval.getSeconds() >= 0xFFFF_FFFFL) {
            log().info("$SYS topics: version only (interval {})", interval);
            return;
        }
        long ms = Math.max(1, interval.toMillis());
        task = context().scheduler().scheduleAtFixedRate(this::updateQuietly, 0, ms, TimeUnit.MILLISECONDS);
        log().info("$SYS topics every {}", interval);
    }

    private void updateQuietly() {
        try {
            update();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log and keep going.
            log().warn("Updating the $SYS topics failed: {}", e.toString());
        }
    }

    /** Publishes the values that changed since the last update. */
    synchronized void update() {
        Map<String, Long> m = context().brokerMetrics();
        long now = System.nanoTime();
        boolean first = lastTick == 0;
        double seconds = first ? 0 : (now - lastTick) / 1e9;
        lastTick = now;
        for (Map.Entry<String, String> e : values(m).entrySet()) {
            publish(e.getKey(), e.getValue(), first);
        }
        for (Load l : loads) {
            Long total = l.metric.equals(DROPPED) ? dropped(m) : m.get(l.metric);
            if (total == null) {
                continue;
            }
            if (l.last < 0 || seconds <= 0) {
                if (l.last < 0) {
                    for (int i = 0; i < 3; i++) {
                        publish(l.topic + LOAD_NAMES[i], format(0), true);
                    }
                }
                l.last = total;
                continue;
            }
            double perMinute = (total - l.last) * 60.0 / seconds;
            l.last = total;
            for (int i = 0; i < 3; i++) {
                double exponent = Math.exp(-seconds / (60.0 * LOAD_MINUTES[i]));
                double next = perMinute + exponent * (l.values[i] - perMinute);
                boolean changed = Math.abs(next - l.values[i]) >= 0.01;
                l.values[i] = next;
                if (changed) {
                    publish(l.topic + LOAD_NAMES[i], format(next), false);
                }
            }
        }
    }

    /** The plain values, by topic below {@code $SYS/broker/}; metrics the broker lacks are left out. */
    private Map<String, String> values(Map<String, Long> m) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("uptime", (System.currentTimeMillis() - context().startedAt()) / 1000 + " seconds");
        Long connected = m.get("connections.current");
        Long sessions = m.get("sessions.current");
        if (connected != null) {
            maxClients = Math.max(maxClients, connected);
            v.put("clients/connected", Long.toString(connected));
            v.put("clients/maximum", Long.toString(maxClients));
        }
        if (sessions != null && connected != null) {
            v.put("clients/total", Long.toString(Math.max(sessions, connected)));
            v.put("clients/disconnected", Long.toString(Math.max(0, sessions - connected)));
        }
        put(v, "messages/received", m.get("messages.received"));
        put(v, "messages/sent", m.get("messages.sent"));
        put(v, "publish/messages/received", m.get("messages.received"));
        put(v, "publish/messages/sent", m.get("messages.sent"));
        put(v, "publish/messages/dropped", dropped(m));
        put(v, "subscriptions/count", m.get("subscriptions.current"));
        put(v, "retained messages/count", m.get("retained.current"));
        put(v, "bytes/received", m.get("bytes.received"));
        put(v, "bytes/sent", m.get("bytes.sent"));
        long heap = memory.getHeapMemoryUsage().getUsed();
        maxHeap = Math.max(maxHeap, heap);
        v.put("heap/current", Long.toString(heap));
        v.put("heap/maximum", Long.toString(maxHeap));
        return v;
    }

    private static void put(Map<String, String> v, String topic, Long value) {
        if (value != null) {
            v.put(topic, Long.toString(value));
        }
    }

    /**
     * Messages the broker gave up on: the {@code messages.dropped.*} counters, except messages that simply had no
     * subscriber (Mosquitto does not count those either). {@code null} when the broker has no such counter.
     */
    private static Long dropped(Map<String, Long> m) {
        Long sum = null;
        for (Map.Entry<String, Long> e : m.entrySet()) {
            if (e.getKey().startsWith("messages.dropped.") && !e.getKey().equals("messages.dropped.no_subscriber")) {
                sum = (sum == null ? 0 : sum) + e.getValue();
            }
        }
        return sum;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private void publish(String topic, String value, boolean always) {
        if (!always && value.equals(published.get(topic))) {
            return;
        }
        published.put(topic, value);
        context().publish(Message.builder(PREFIX + topic).payload(value).retain(true).build())
                .whenComplete((n, e) -> {
                    if (e != null) {
                        log().debug("Publishing {}{} failed: {}", PREFIX, topic, e.toString());
                    }
                });
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
