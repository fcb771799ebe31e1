package io.mast.kafka;

import io.mast.integration.Batcher;
import io.mast.plugin.PluginMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;

/**
 * Writes the buffer's batches with one {@link KafkaProducer}: every record of a batch is sent (the producer batches
 * them per partition, with {@code linger} and {@code batch_bytes}), then the batch waits for all acknowledgements.
 * Records Kafka refuses for good (too large, invalid topic, not authorized) are dropped and counted
 * ({@code dropped.rejected}); the others that failed are retried, in order, by the buffer.
 */
final class KafkaSink implements Batcher.Sink<KafkaBridgePlugin.Pending> {

    private final KafkaProducer<byte[], byte[]> producer;
    private final PluginMetrics.Counter rejected;
    private final Logger log;

    KafkaSink(KafkaBridgePlugin.Config config, PluginMetrics.Counter rejected, Logger log) {
        this.rejected = rejected;
        this.log = log;
        this.producer = new KafkaProducer<>(properties(config), new ByteArraySerializer(), new ByteArraySerializer());
    }

    static Properties properties(KafkaBridgePlugin.Config c) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "mast-kafka-bridge");
        p.put(ProducerConfig.ACKS_CONFIG, switch (c.acks()) {
            case ALL -> "all";
            case LEADER -> "1";
            case NONE -> "0";
        });
        // Idempotence keeps each partition's order across the producer's retries; Kafka allows it with acks=all only.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(c.acks() == KafkaBridgePlugin.Acks.ALL));
        if (c.acks() != KafkaBridgePlugin.Acks.ALL) {
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        }
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, c.compression().name().toLowerCase(Locale.ROOT));
        p.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(c.linger().toMillis()));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(c.batchBytes()));
        long delivery = Math.max(1000, c.deliveryTimeout().toMillis());
        long request = Math.min(30_000, Math.max(500, (delivery - c.linger().toMillis()) / 2));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(request));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(delivery, request
                + c.linger().toMillis())));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.putAll(c.producer());
        return p;
    }

    @Override
    public void write(List<KafkaBridgePlugin.Pending> batch) throws Exception {
        List<Future<RecordMetadata>> sends = new ArrayList<>(batch.size());
        Exception sendFailure = null;
        int i = 0;
        for (; i < batch.size(); i++) {
            try {
                sends.add(producer.send(batch.get(i).record()));
            } catch (Exception e) {   // the producer's buffer stayed full, or no metadata within max.block.ms
                sendFailure = e;
                break;
            }
        }
        List<KafkaBridgePlugin.Pending> retry = new ArrayList<>();
        Exception first = sendFailure;
        for (int j = 0; j < sends.size(); j++) {
            try {
                sends.get(j).get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RetriableException) {
                    retry.add(batch.get(j));
                    first = first == null ? (Exception) cause : first;
                } else {
                    rejected.increment();
                    if (batch.get(j).ack() != null) {
                        batch.get(j).ack().failed("Kafka refused the record: " + cause.getMessage());
                    }
                    log.warn("Kafka refused a record for topic {} for good, dropped: {}", batch.get(j).record()
                            .topic(), cause.toString());
                }
            }
        }
        retry.addAll(batch.subList(i, batch.size()));
        if (!retry.isEmpty()) {
            throw new Batcher.PartialFailure(retry, first);
        }
    }

    void close() {
        producer.close(Duration.ofSeconds(1));
    }
}
