package io.mast.kafka;

import io.mast.integration.MessageVariables;
import io.mast.integration.Published;
import io.mast.integration.Template;
import io.mast.integration.TopicFilterSet;
import io.mast.plugin.Message;
import io.mast.plugin.UserProperty;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * One route of the bridge, compiled: the MQTT topic filters it takes, and the templates of the Kafka topic and key.
 * It turns a message into the Kafka record: the payload as the value, the message's time as the record's timestamp,
 * and (with {@code headers}) the MQTT properties and user properties as headers.
 */
final class KafkaRoute {

    /** The headers' names for the MQTT fields; user properties keep their own names. */
    static final String TOPIC = "mqtt.topic";
    static final String QOS = "mqtt.qos";
    static final String RETAIN = "mqtt.retain";
    static final String CLIENT_ID = "mqtt.clientid";
    static final String USERNAME = "mqtt.username";
    static final String CONTENT_TYPE = "mqtt.content_type";
    static final String RESPONSE_TOPIC = "mqtt.response_topic";
    static final String CORRELATION_DATA = "mqtt.correlation_data";
    static final String MESSAGE_EXPIRY = "mqtt.message_expiry_interval";
    static final String PAYLOAD_FORMAT = "mqtt.payload_format_indicator";

    private final TopicFilterSet filters;
    private final Template<Published> topic;
    private final Template<Published> key;
    private final boolean headers;

    KafkaRoute(KafkaBridgePlugin.Route route, boolean headers, int index) {
        try {
            this.filters = TopicFilterSet.of(route.filters());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("routes[" + index + "].filters: " + e.getMessage());
        }
        this.topic = compile(route.topic(), "topic", index);
        this.key = route.key().isEmpty() ? null : compile(route.key().get(), "key", index);
        this.headers = headers;
    }

    private static Template<Published> compile(String text, String option, int index) {
        try {
            return MessageVariables.template(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("routes[" + index + "]." + option + ": " + e.getMessage());
        }
    }

    boolean matches(String mqttTopic) {
        return filters.matches(mqttTopic);
    }

    ProducerRecord<byte[], byte[]> record(Published p) {
        Message m = p.message();
        byte[] k = key == null ? null : key.render(p).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(kafkaTopic(topic.render(p)), null, m.timestamp(), k, m.payload(),
                headers ? headers(p) : null);
    }

    /** The headers of a message: the MQTT fields that are set, then the user properties in their order. */
    static List<Header> headers(Published p) {
        Message m = p.message();
        List<Header> h = new ArrayList<>(6 + m.userProperties().size());
        h.add(header(TOPIC, m.topic()));
        h.add(header(QOS, Integer.toString(m.qos())));
        h.add(header(RETAIN, Boolean.toString(m.retain())));
        if (p.clientId() != null) {
            h.add(header(CLIENT_ID, p.clientId()));
        }
        if (p.username() != null) {
            h.add(header(USERNAME, p.username()));
        }
        if (m.contentType() != null) {
            h.add(header(CONTENT_TYPE, m.contentType()));
        }
        if (m.responseTopic() != null) {
            h.add(header(RESPONSE_TOPIC, m.responseTopic()));
        }
        if (m.correlationData() != null) {
            h.add(new RecordHeader(CORRELATION_DATA, m.correlationData()));
        }
        if (m.messageExpiryInterval() != null) {
            h.add(header(MESSAGE_EXPIRY, Long.toString(m.messageExpiryInterval())));
        }
        if (m.payloadFormatIndicator() != null) {
            h.add(header(PAYLOAD_FORMAT, Integer.toString(m.payloadFormatIndicator())));
        }
        for (UserProperty u : m.userProperties()) {
            h.add(header(u.name(), u.value()));
        }
        return h;
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A rendered topic made a valid Kafka topic name: characters other than ASCII letters, digits, '.', '_' and '-'
     * become '_' (so {@code sensors/a} is {@code sensors_a}), cut to Kafka's 249 characters; empty is {@code _}.
     */
    static String kafkaTopic(String rendered) {
        int n = Math.min(rendered.length(), 249);
        if (n == 0) {
            return "_";
        }
        char[] out = new char[n];
        boolean changed = n != rendered.length();
        for (int i = 0; i < n; i++) {
            char c = rendered.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            out[i] = ok ? c : '_';
            changed |= !ok;
        }
        String topic = changed ? new String(out) : rendered;
        return topic.equals(".") || topic.equals("..") ? topic.replace('.', '_') : topic;
    }
}
