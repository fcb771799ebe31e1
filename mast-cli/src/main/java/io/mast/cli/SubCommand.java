package io.mast.cli;

import io.mast.client.MastClient;
import io.mast.client.MqttMessage;
import io.mast.client.SubscribeResult;
import io.mast.codec.MqttProperties;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Subscription;
import io.mast.plugin.TopicFilters;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mast sub}: subscribes and prints every message's payload on a line of its own, with {@code mosquitto_sub}'s
 * options, messages and exit codes ({@code -W} exits 27 when the time is up).
 */
@Command(name = "sub", sortOptions = false,
        description = {"Subscribes and prints the messages received, as mosquitto_sub does (same options).",
                "Example: mast sub -t 'sensors/#' -v"})
public final class SubCommand implements Callable<Integer> {

    /** mosquitto_sub's exit code when -W runs out (MOSQ_ERR_TIMEOUT). */
    static final int TIMED_OUT = 27;

    @Mixin
    ConnectOptions connection;

    @Option(names = "-t", paramLabel = "TOPIC", description = "Topic filter to subscribe to; may be repeated.")
    List<String> topics = new ArrayList<>();

    @Option(names = "-T", paramLabel = "TOPIC", description = "Topic filter whose messages are not printed; may be repeated.")
    List<String> filterOut = new ArrayList<>();

    @Option(names = "-U", paramLabel = "TOPIC", description = "Unsubscribe from this filter first; may be repeated.")
    List<String> unsubscribe = new ArrayList<>();

    @Option(names = "-C", paramLabel = "COUNT", description = "Disconnect and exit after COUNT messages.")
    int count;

    @Option(names = "-v", description = "Print the topic before each payload.")
    boolean verbose;

    @Option(names = "-W", paramLabel = "SECONDS", description = "Exit (code 27) after SECONDS.")
    int timeout;

    @Option(names = "-F", paramLabel = "FORMAT",
            description = "Output format, as mosquitto_sub's: %%t topic, %%p payload, %%x/%%X payload in hex, %%l length, "
                    + "%%q QoS, %%r retain, %%m packet id, %%j/%%J JSON, %%I ISO 8601 time, %%U Unix time, "
                    + "%%A %%C %%D %%E %%F %%P %%R %%S MQTT 5.0 properties, @Y @m @d @H @M @S @N ... time (strftime), "
                    + "%%-10t width; \\n \\t \\\\ \\0 \\a \\e.")
    String format;

    @Option(names = "--pretty", description = "With -F %%j or %%J: JSON spread over lines.")
    boolean pretty;

    @Option(names = "--remove-retained",
            description = "Clear each retained message received (publish an empty retained message to its topic).")
    boolean removeRetained;

    @Option(names = "-N", description = "Do not end payloads with a newline.")
    boolean noNewline;

    @Option(names = "-R", description = "Do not print stale (retained) messages.")
    boolean noRetained;

    @Option(names = "-E", description = "Exit once the subscriptions are acknowledged.")
    boolean exitAfterSubscribe;

    @Option(names = "--retained-only", description = "Print only retained messages; exit at the first that is not.")
    boolean retainedOnly;

    private Formatter formatter;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ConnectOptions.Settings s;
        List<String> filters = new ArrayList<>(topics);
        try {
            s = connection.settings(out);
            if (s.urlTopic() != null) {
                filters.add(0, s.urlTopic());
            }
            if (filters.isEmpty()) {
                throw new UsageException("You must specify a topic to subscribe to.");
            }
            for (String f : filters) {
                if (!TopicFilters.isTopicFilter(f)) {
                    throw new UsageException("Invalid subscription topic '" + f + "', are all '+' and '#' wildcards correct?");
                }
            }
            for (String f : filterOut) {
                if (!TopicFilters.isTopicFilter(f)) {
                    throw new UsageException("Invalid filter topic '" + f + "', are all '+' and '#' wildcards correct?");
                }
            }
            if (count < 0 || timeout < 0) {
                throw new UsageException("-C and -W must not be negative.");
            }
            formatter = format == null ? null : Formatter.parse(format, pretty);
        } catch (UsageException e) {
            return Main.usageError("sub", e.getMessage(), connection.quiet);
        }
        long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout) : Long.MAX_VALUE;
        PacketIds ids = formatter != null && formatter.needsPacketId() ? new PacketIds(s.debug()) : null;
        if (ids != null) {
            s.builder().packetListener(ids);
        }
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger exit = new AtomicInteger();
        AtomicInteger printed = new AtomicInteger();
        Output output = new Output(out, err, verbose, formatter, noNewline);
        MastClient[] self = new MastClient[1];
        AtomicBoolean stop = new AtomicBoolean();

        MastClient client = s.builder()
                .automaticReconnect(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .onMessage(m -> {
                    if (stop.get() || skip(m)) {
                        return;
                    }
                    if (retainedOnly && !m.retain()) {
                        stop.set(true);
                        done.countDown();
                        return;
                    }
                    output.print(m, ids == null ? 0 : ids.idOf(m));
                    if (removeRetained && m.retain() && self[0] != null) {
                        self[0].publish(io.mast.client.MqttMessage.builder(m.topic()).retain(true).qos(m.qos()).build());
                    }
                    if (count > 0 && printed.incrementAndGet() >= count) {
                        stop.set(true);
                        done.countDown();
                    }
                })
                .build();
        self[0] = client;
        if (s.debug() != null) {
            s.debug().clientId(client::clientId);
        }
        // Ctrl-C or SIGTERM: stop as if done, and give the command a moment to send DISCONNECT before the JVM ends.
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            done.countDown();
            try {
                finished.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mast-sub-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            try {
                client.connect().get(remaining(deadline), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (!connection.quiet) {
                    err.println("Timed out");
                }
                return TIMED_OUT;
            } catch (java.util.concurrent.ExecutionException e) {
                return connection.reportConnectFailure(e.getCause(), err);
            }
            if (timeout > 0) {
                // as mosquitto_sub, -W counts the time spent processing messages once connected
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
            }
            if (!unsubscribe.isEmpty()) {
                client.unsubscribe(unsubscribe, s.properties().of("unsubscribe"));
            }
            List<Subscription> subs = new ArrayList<>();
            for (String f : filters) {
                subs.add(new Subscription(f, s.qos()));
            }
            MqttProperties subProps = s.properties().of("subscribe");
            client.subscribe(subs, subProps, null).whenComplete((r, e) -> {
                if (e != null) {
                    if (!connection.quiet) {
                        err.println("Error: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
                    }
                    exit.set(1);
                    done.countDown();
                    return;
                }
                if (reportSubAck(r, filters, err)) {
                    exit.set(1);
                    done.countDown();
                } else if (exitAfterSubscribe) {
                    done.countDown();
                }
            });
            if (!done.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
                if (!connection.quiet) {
                    err.println("Timed out");
                }
                exit.set(TIMED_OUT);
            }
            stop.set(true);
            try {
                ReasonCode reason = timeout > 0 && exit.get() == TIMED_OUT ? ReasonCode.DISCONNECT_WITH_WILL_MESSAGE
                        : ReasonCode.NORMAL_DISCONNECTION;
                client.disconnect(s.version().isV5() ? reason : ReasonCode.NORMAL_DISCONNECTION,
                        s.properties().of("disconnect")).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the exit code is already decided
            }
            return exit.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            output.flush();
            client.close();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
    }

    private boolean skip(MqttMessage m) {
        if (noRetained && m.retain()) {
            return true;
        }
        for (String f : filterOut) {
            if (TopicFilters.matches(f, m.topic())) {
                return true;
            }
        }
        return false;
    }

    /** Prints refused subscriptions; true when every one was refused (mosquitto_sub then exits 1). */
    private boolean reportSubAck(SubscribeResult r, List<String> filters, PrintStream err) {
        int refused = 0;
        for (int i = 0; i < r.reasonCodes().size(); i++) {
            ReasonCode rc = r.reasonCodes().get(i);
            if (rc.isError()) {
                refused++;
                if (!connection.quiet && r.reasonCodes().size() > 1) {
                    err.println("Warning: subscription to " + (i < filters.size() ? filters.get(i) : "?")
                            + " denied: " + ConnectOptions.reasonText(rc) + ".");
                }
            }
        }
        if (refused == r.reasonCodes().size()) {
            if (!connection.quiet) {
                err.println("All subscription requests were denied.");
            }
            return true;
        }
        return false;
    }

    private static long remaining(long deadline) {
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, deadline - System.nanoTime());
    }

    /** Writes messages as mosquitto_sub does: raw payload bytes, one message per line. */
    static final class Output {
        private final PrintStream out;
        private final PrintStream err;
        private final boolean verbose;
        private final Formatter format;
        private final boolean noNewline;

        Output(PrintStream out, PrintStream err, boolean verbose, Formatter format, boolean noNewline) {
            this.out = out;
            this.err = err;
            this.verbose = verbose;
            this.format = format;
            this.noNewline = noNewline;
        }

        synchronized void print(MqttMessage m, int packetId) {
            if (format != null) {
                out.writeBytes(format.format(m, packetId, err::println));
            } else {
                if (verbose) {
                    out.writeBytes(m.topic().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.write(' ');
                }
                out.writeBytes(m.payload());
            }
            if (!noNewline) {
                out.write('\n');
            }
            out.flush();
        }

        synchronized void flush() {
            out.flush();
        }
    }

    /**
     * The packet identifier of each message received, for {@code %m} and JSON output: the client's messages do not
     * carry it, so the PUBLISH packets are watched and matched by their payload (the same array).
     */
    static final class PacketIds implements io.mast.client.PacketListener {
        private final io.mast.client.PacketListener next;
        private final java.util.Map<byte[], Integer> ids =
                java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

        PacketIds(io.mast.client.PacketListener next) {
            this.next = next;
        }

        @Override
        public void sent(io.mast.codec.packet.MqttPacket packet) {
            if (next != null) {
                next.sent(packet);
            }
        }

        @Override
        public void received(io.mast.codec.packet.MqttPacket packet) {
            if (packet instanceof io.mast.codec.packet.Publish p) {
                if (ids.size() > 10_000) {
                    ids.clear(); // duplicates the client dropped: never asked for
                }
                ids.put(p.payload(), p.packetId());
            }
            if (next != null) {
                next.received(packet);
            }
        }

        int idOf(MqttMessage m) {
            Integer id = ids.remove(m.payload());
            return id == null ? 0 : id;
        }
    }
}
