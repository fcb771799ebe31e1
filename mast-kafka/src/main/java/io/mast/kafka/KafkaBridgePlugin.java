package io.mast.kafka;

import io.mast.integration.Batcher;
import io.mast.integration.Published;
import io.mast.plugin.AsyncPublishPlugin;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.DecisionTimeout;
import io.mast.plugin.Default;
import io.mast.plugin.Message;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.PluginMetrics;
import io.mast.plugin.PublishDecision;
import io.mast.plugin.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Forwards MQTT messages to Kafka: each message whose topic matches a route's filters becomes a record of the
 * route's Kafka topic (a template), with the route's key (a template), the payload as the value and the MQTT
 * properties as headers. Records go through a bounded buffer to one producer; while Kafka is away the buffer holds
 * them (and the producer retries), and what does not fit is dropped and counted, so publishers are never held up.
 * With {@code spool_dir}, what is still buffered when the broker stops is written to disk and sent first at the next
 * start. With {@code ack_after_kafka}, a QoS 1 or 2 PUBLISH is acknowledged only once Kafka has acknowledged its
 * records (at least once, end to end). See docs/integrations.md.
 */
@DecisionTimeout("60s")
public final class KafkaBridgePlugin extends BrokerPlugin implements AsyncPublishPlugin {

    /** Kafka's {@code acks}: all in-sync replicas, the leader only, or none. */
    public enum Acks { ALL, LEADER, NONE }

    /** Kafka's {@code compression.type}. */
    public enum Compression { NONE, GZIP, SNAPPY, LZ4, ZSTD }

    /**
     * A route: messages matching {@code filters} go to the Kafka topic {@code topic} (a template such as
     * {@code mqtt.${topic_level.1}}), keyed by {@code key} (a template such as {@code ${clientid}}; no key when
     * absent, and Kafka spreads the records over the partitions).
     */
    public record Route(List<String> filters, String topic, Optional<String> key) {
        public Route {
            key = key == null ? Optional.empty() : key;
        }
    }

    /** The bridge's options (docs/integrations.md has them all). */
    public record Config(
            String bootstrapServers,
            List<Route> routes,
            @Default("all") Acks acks,
            @Default("none") Compression compression,
            @Default("5ms") Duration linger,
            @Default("65536") int batchBytes,
            @Default("true") boolean headers,
            @Default("100000") int bufferSize,
            @Default("1000") int maxBatchMessages,
            @Default("2m") Duration deliveryTimeout,
            @Default("false") boolean ackAfterKafka,
            @Default("30s") Duration ackTimeout,
            Optional<String> spoolDir,
            @Default("10s") Duration shutdownTimeout,
            Map<String, String> producer) {
        public Config {
            producer = producer == null ? Map.of() : Map.copyOf(producer);
        }
    }

    /** A record on its way, and the publisher's acknowledgement waiting for it (with ack_after_kafka). */
    record Pending(ProducerRecord<byte[], byte[]> record, Ack ack) {
    }

    /** The acknowledgement of one PUBLISH, due when all of its records (one per matching route) are in Kafka. */
    static final class Ack {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicInteger remaining;

        Ack(int records) {
            remaining = new AtomicInteger(records);
        }

        void sent() {
            if (remaining.decrementAndGet() == 0) {
                done.complete(null);
            }
        }

        void failed(String reason) {
            done.completeExceptionally(new IllegalStateException(reason));
        }
    }

    private final Config config;
    private final List<KafkaRoute> routes = new ArrayList<>();
    private final KafkaSink sink;
    private final Batcher<Pending> buffer;
    private final KafkaSpool spool;
    private final PluginMetrics.Counter matched;
    private final PluginMetrics.Counter spooled;
    private final PluginMetrics.Counter lost;

    public KafkaBridgePlugin(BrokerContext context) throws IOException {
        super(context);
        this.config = config(Config.class);
        if (config.routes().isEmpty()) {
            throw new IllegalArgumentException("routes: at least one route is needed (filters, topic, key)");
        }
        for (int i = 0; i < config.routes().size(); i++) {
            routes.add(new KafkaRoute(config.routes().get(i), config.headers(), i));
        }
        if (config.bufferSize() < 1 || config.maxBatchMessages() < 1) {
            throw new IllegalArgumentException("buffer_size and max_batch_messages must be at least 1");
        }
        PluginMetrics metrics = context.metrics();
        this.matched = metrics.counter("matched");
        this.spooled = metrics.counter("spooled");
        this.lost = metrics.counter("dropped.shutdown");
        metrics.counter("dropped.rejected");
        this.spool = config.spoolDir().isPresent() ? new KafkaSpool(Path.of(config.spoolDir().get())) : null;
        List<ProducerRecord<byte[], byte[]>> unspooled = spool == null ? List.of() : spool.take();
        this.sink = new KafkaSink(config, metrics.counter("dropped.rejected"), log());
        Batcher.Options options = new Batcher.Options(config.bufferSize() + unspooled.size(),
                config.maxBatchMessages(), Duration.ZERO, -1, Duration.ofMillis(100), Duration.ofSeconds(5));
        this.buffer = new Batcher<>("kafka", options, sink, new Batcher.Listener<>() {
            @Override
            public void sent(List<Pending> items) {
                for (Pending p : items) {
                    if (p.ack() != null) {
                        p.ack().sent();
                    }
                }
            }

            @Override
            public void dropped(Pending item, String reason) {
                if (item.ack() != null) {
                    item.ack().failed(reason);
                }
            }
        }, metrics, "", log());
        for (ProducerRecord<byte[], byte[]> r : unspooled) {
            buffer.offer(new Pending(r, null));
        }
        if (!unspooled.isEmpty()) {
            log().info("Kafka bridge: {} record(s) read back from {}", unspooled.size(), spool.file());
        }
    }

    /** Messages that are not acknowledged after Kafka: handed to the buffer as they are routed, never waiting. */
    @Override
    @NonBlocking
    public void onMessagePublished(ClientInfo publisher, Message message) {
        if (config.ackAfterKafka() && message.qos() > 0) {
            return;   // taken in onPublish
        }
        Published p = null;
        for (KafkaRoute route : routes) {
            if (route.matches(message.topic())) {
                if (p == null) {
                    p = new Published(publisher, message, context().brokerName());
                    matched.increment();
                }
                buffer.offer(new Pending(route.record(p), null));
            }
        }
    }

    /**
     * With {@code ack_after_kafka}: a QoS 1 or 2 message matching a route is allowed (and so acknowledged to its
     * publisher) once Kafka has acknowledged its records; refused when the buffer is full (0x97), Kafka failed or
     * did not answer within {@code ack_timeout} (0x80). A 3.1.1 client, which cannot be told, is disconnected
     * instead, so that it sends the message again.
     */
    @Override
    public CompletionStage<PublishDecision> onPublish(ClientInfo publisher, Message message) {
        if (!config.ackAfterKafka() || message.qos() == 0) {
            return CompletableFuture.completedFuture(PublishDecision.proceed(message));
        }
        List<KafkaRoute> matching = new ArrayList<>(1);
        for (KafkaRoute route : routes) {
            if (route.matches(message.topic())) {
                matching.add(route);
            }
        }
        if (matching.isEmpty()) {
            return CompletableFuture.completedFuture(PublishDecision.proceed(message));
        }
        matched.increment();
        Published p = new Published(publisher, message, context().brokerName());
        Ack ack = new Ack(matching.size());
        for (KafkaRoute route : matching) {
            buffer.offer(new Pending(route.record(p), ack));
        }
        return ack.done.orTimeout(config.ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, failure) -> failure == null
                        ? CompletableFuture.completedFuture(PublishDecision.proceed(message))
                        : refuse(publisher, failure))
                .thenCompose(stage -> stage);
    }

    private CompletionStage<PublishDecision> refuse(ClientInfo publisher, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        boolean full = "buffer_full".equals(cause.getMessage());
        PublishDecision deny = full
                ? PublishDecision.deny(Reason.QUOTA_EXCEEDED, "Kafka bridge: buffer full")
                : PublishDecision.deny(Reason.UNSPECIFIED_ERROR, cause instanceof java.util.concurrent.TimeoutException
                        ? "Kafka bridge: Kafka did not acknowledge in time" : "Kafka bridge: " + cause.getMessage());
        if (publisher != null && publisher.protocolVersion() < 5) {
            return context().disconnect(publisher.clientId()).handle((r, e) -> deny);
        }
        return CompletableFuture.completedFuture(deny);
    }

    @Override
    public void close() throws IOException {
        List<Pending> left = buffer.close(config.shutdownTimeout());
        sink.close();
        for (Pending p : left) {
            if (p.ack() != null) {
                p.ack().failed("broker stopping");
            }
        }
        if (left.isEmpty()) {
            return;
        }
        if (spool != null) {
            spool.write(left.stream().map(Pending::record).toList());
            spooled.add(left.size());
            log().info("Kafka bridge: {} record(s) not yet in Kafka written to {}", left.size(), spool.file());
        } else {
            lost.add(left.size());
            log().warn("Kafka bridge: {} record(s) not yet in Kafka are lost (set spool_dir to keep them)",
                    left.size());
        }
    }
}
