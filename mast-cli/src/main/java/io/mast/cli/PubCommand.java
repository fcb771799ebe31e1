package io.mast.cli;

import io.mast.client.MastClient;
import io.mast.client.MqttMessage;
import io.mast.client.PublishResult;
import io.mast.codec.MqttProperties;
import io.mast.codec.ReasonCode;
import io.mast.plugin.TopicFilters;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mast pub}: publishes one message, a file, standard input, or one message per line of standard input, with
 * {@code mosquitto_pub}'s options, messages and exit codes.
 */
@Command(name = "pub", sortOptions = false,
        description = {"Publishes MQTT messages, as mosquitto_pub does (same options).",
                "Example: mast pub -t sensors/room1 -m 21.5 -q 1"})
public final class PubCommand implements Callable<Integer> {

    /** How many publishes may wait for their acknowledgement while lines are still read (-l). */
    private static final int OUTSTANDING = 10_000;

    @Mixin
    ConnectOptions connection;

    @Option(names = "-t", paramLabel = "TOPIC", description = "Topic to publish to.")
    String topic;

    @Option(names = "-m", paramLabel = "MESSAGE", description = "Message payload.")
    String message;

    @Option(names = "-f", paramLabel = "FILE", description = "Send the contents of a file as the message.")
    Path file;

    @Option(names = "-l", description = "Read standard input, sending one message per line.")
    boolean lines;

    @Option(names = "-n", description = "Send a null (zero length) message.")
    boolean nullMessage;

    @Option(names = "-s", description = "Send all of standard input as one message.")
    boolean stdin;

    @Option(names = "-r", description = "Retain the message.")
    boolean retain;

    @Option(names = "--repeat", paramLabel = "N", description = "With -m, -f, -n or -s: publish the message N times.")
    int repeat = 1;

    @Option(names = "--repeat-delay", paramLabel = "SECONDS", description = "Seconds to wait between repeats (default 0).")
    double repeatDelay;

    @Option(names = "-M", paramLabel = "MAX", description = "Most QoS 1 and 2 messages in flight at once (default 20).")
    int maxInflight = 20;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ConnectOptions.Settings s;
        String t;
        connection.publisher = true;
        try {
            s = connection.settings(out);
            t = topic != null ? topic : s.urlTopic();
            int sources = (message != null ? 1 : 0) + (file != null ? 1 : 0) + (lines ? 1 : 0) + (nullMessage ? 1 : 0)
                    + (stdin ? 1 : 0);
            if (sources > 1) {
                throw new UsageException("Only one type of message can be sent at once.");
            }
            if (t == null || sources == 0) {
                throw new UsageException("Both topic and message must be supplied.");
            }
            if (!TopicFilters.isTopicName(t)) {
                throw new UsageException("Invalid publish topic '" + t + "', does it contain '+' or '#'?");
            }
            if (repeat < 1) {
                throw new UsageException("--repeat argument must be 1 or greater.");
            }
            if (maxInflight < 1 || maxInflight > 65_535) {
                throw new UsageException("Invalid max inflight given: " + maxInflight + ".");
            }
        } catch (UsageException e) {
            return Main.usageError("pub", e.getMessage(), connection.quiet);
        }
        byte[] single = null;
        try {
            if (message != null) {
                single = message.getBytes(StandardCharsets.UTF_8);
            } else if (nullMessage) {
                single = new byte[0];
            } else if (file != null) {
                single = Files.readAllBytes(file);
            } else if (stdin) {
                single = System.in.readAllBytes();
            }
        } catch (IOException e) {
            if (!connection.quiet) {
                err.println("Error: Unable to read file \"" + file + "\": " + e.getMessage() + ".");
            }
            return 1;
        }

        MastClient client = s.builder().maxInflight(maxInflight).build();
        if (s.debug() != null) {
            s.debug().clientId(client::clientId);
        }
        try {
            try {
                client.connect().join();
            } catch (RuntimeException e) {
                return connection.reportConnectFailure(e, err);
            }
            MqttProperties props = s.properties().of("publish");
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger mid = new AtomicInteger();
            List<CompletableFuture<?>> pending = new ArrayList<>();
            Semaphore window = new Semaphore(OUTSTANDING);
            if (lines) {
                publishLines(client, t, props, window, pending, mid, failures, System.in);
            } else {
                for (int i = 0; i < repeat; i++) {
                    pending.add(publish(client, message(t, single, props), mid.incrementAndGet(), window, failures));
                    if (repeatDelay > 0 && i + 1 < repeat) {
                        Thread.sleep((long) (repeatDelay * 1000));
                    }
                }
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
            if (failures.get() > 0) {
                return 1;
            }
            client.disconnect(ReasonCode.NORMAL_DISCONNECTION, s.properties().of("disconnect"))
                    .get(5, TimeUnit.SECONDS);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            if (!connection.quiet) {
                err.println("Error: " + ConnectOptions.networkText(e));
            }
            return 1;
        } finally {
            client.close();
        }
    }

    private MqttMessage message(String t, byte[] payload, MqttProperties props) {
        return MqttMessage.builder(t).payload(payload).qos(connection.qos).retain(retain).properties(props).build();
    }

    private void publishLines(MastClient client, String t, MqttProperties props, Semaphore window,
                              List<CompletableFuture<?>> pending, AtomicInteger mid, AtomicInteger failures,
                              InputStream in) throws IOException, InterruptedException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                CompletableFuture<?> f = publish(client, message(t, line.getBytes(StandardCharsets.UTF_8), props),
                        mid.incrementAndGet(), window, failures);
                pending.add(f);
                if (pending.size() > OUTSTANDING) {
                    pending.removeIf(CompletableFuture::isDone);
                }
            }
        }
    }

    /** Publishes, waiting for room when {@link #OUTSTANDING} publishes are unanswered; reports failures. */
    private CompletableFuture<PublishResult> publish(MastClient client, MqttMessage m, int mid, Semaphore window,
                                                     AtomicInteger failures) throws InterruptedException {
        window.acquire();
        return client.publish(m).whenComplete((r, e) -> {
            window.release();
            if (e != null) {
                failures.incrementAndGet();
                if (!connection.quiet) {
                    Throwable c = e.getCause() != null ? e.getCause() : e;
                    System.err.println("Error: Publish " + mid + " failed: " + c.getMessage() + ".");
                }
            } else if (!r.isSuccess() && !connection.quiet) {
                System.err.println("Warning: Publish " + mid + " failed: " + ConnectOptions.reasonText(r.reasonCode())
                        + (r.properties().reasonString() == null ? "" : " (" + r.properties().reasonString() + ")")
                        + ".");
            }
        });
    }
}
