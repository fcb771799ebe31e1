package io.mast.examples.exhook;

import io.mast.exhook.sdk.HookProvider;
import io.mast.exhook.sdk.HookServer;
import io.mast.exhook.sdk.Message;
import io.mast.plugin.TopicFilters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hook server that forwards the messages published on topics matching its filters to one Kafka topic, keyed by
 * the publisher's client id (so one publisher's messages stay in order), with the MQTT topic, QoS and client id as
 * headers. By default it hands the record to the producer and lets the message go on at once; with
 * {@code --wait-for-kafka} it answers the broker only once Kafka has the record, so the publisher's PUBACK comes
 * after Kafka's (the broker waits for the hook's answer).
 * <pre>
 * java -cp target/exhook-java-example.jar io.mast.examples.exhook.KafkaForwarder \
 *     --port 9001 --bootstrap 127.0.0.1:9092 --topic mqtt-messages --filter 'sensors/#' [--wait-for-kafka]
 * </pre>
 * Mast's own {@code KafkaBridgePlugin} does the same inside the broker, with templates, buffering and metrics
 * (docs/integrations.md); this example shows the job done by a hook server, as with EMQX's ExHook.
 */
public final class KafkaForwarder extends HookProvider implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaForwarder.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final List<String> filters;
    private final boolean waitForKafka;

    /** Forwards messages matching {@code filters} to Kafka topic {@code topic} of the cluster at {@code bootstrap}. */
    public KafkaForwarder(String bootstrap, String topic, List<String> filters, boolean waitForKafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.filters = List.copyOf(filters);
        this.waitForKafka = waitForKafka;
    }

    @Override
    public Message onMessagePublish(Message message) {
        if (filters.stream().noneMatch(f -> TopicFilters.matches(f, message.topic()))) {
            return message;
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, message.timestamp(),
                message.from().getBytes(StandardCharsets.UTF_8), message.payload());
        record.headers().add("mqtt.topic", message.topic().getBytes(StandardCharsets.UTF_8));
        record.headers().add("mqtt.qos", Integer.toString(message.qos()).getBytes(StandardCharsets.UTF_8));
        record.headers().add("mqtt.clientid", message.from().getBytes(StandardCharsets.UTF_8));
        var sent = producer.send(record, (metadata, e) -> {
            if (e != null) {
                log.warn("Kafka did not take a message of {}: {}", message.topic(), e.toString());
            }
        });
        if (waitForKafka) {
            try {
                sent.get();   // a failure answers the call with an error: the broker applies failed_action
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("Kafka did not take the message", e.getCause());
            }
        }
        return message;
    }

    @Override
    public void close() {
        producer.close();
    }

    /** Serves the hook until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        int port = 9001;
        String bootstrap = "127.0.0.1:9092";
        String topic = "mqtt-messages";
        List<String> filters = new ArrayList<>();
        boolean wait = false;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args[i], value));
                case "--bootstrap" -> bootstrap = value(args[i], value);
                case "--topic" -> topic = value(args[i], value);
                case "--filter" -> filters.add(value(args[i], value));
                case "--wait-for-kafka" -> {
                    wait = true;
                    continue;
                }
                default -> {
                    System.err.println("usage: KafkaForwarder [--port 9001] [--bootstrap host:port] [--topic t]"
                            + " [--filter f]... [--wait-for-kafka]");
                    System.exit(2);
                }
            }
            i++;
        }
        HookServer.serve(new KafkaForwarder(bootstrap, topic, filters.isEmpty() ? List.of("#") : filters, wait),
                "127.0.0.1", port).awaitTermination();
    }

    private static String value(String option, String value) {
        if (value == null) {
            System.err.println(option + ": missing value");
            System.exit(2);
        }
        return value;
    }
}
