package io.mast.client;

import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * An application message: what {@link MastClient#publish(MqttMessage)} sends, what a {@link MessageListener}
 * receives, and a client's will.
 *
 * <pre>{@code
 * MqttMessage m = MqttMessage.builder("sensors/room1")
 *         .payload("21.5")
 *         .qos(Qos.AT_LEAST_ONCE)
 *         .userProperty("unit", "celsius")
 *         .build();
 * }</pre>
 *
 * @param topic      the topic name
 * @param payload    the payload (not copied: treat it as read-only)
 * @param qos        the quality of service
 * @param retain     the RETAIN flag
 * @param dup        on a received message, true when the server marked it as a redelivery; ignored when publishing
 * @param properties MQTT 5.0 properties (payload format, message expiry, content type, response topic, correlation
 *                   data, user properties; a received message also carries its subscription identifiers; a will
 *                   may carry the will delay interval). Ignored on MQTT 3.1.1.
 */
public record MqttMessage(String topic, byte[] payload, Qos qos, boolean retain, boolean dup,
                          MqttProperties properties) {

    public MqttMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
    }

    /** A message without properties, not retained. */
    public static MqttMessage of(String topic, byte[] payload, Qos qos) {
        return new MqttMessage(topic, payload, qos, false, false, MqttProperties.EMPTY);
    }

    /** A message with a UTF-8 payload, without properties, not retained. */
    public static MqttMessage of(String topic, String payload, Qos qos) {
        return of(topic, payload.getBytes(StandardCharsets.UTF_8), qos);
    }

    /** A builder for a message on this topic: empty payload, QoS 0, not retained, no properties. */
    public static Builder builder(String topic) {
        return new Builder(topic);
    }

    /** A builder holding this message's fields, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(topic);
        b.payload = payload;
        b.qos = qos;
        b.retain = retain;
        b.properties = properties.toBuilder();
        return b;
    }

    /** The payload decoded as UTF-8. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqttMessage m && topic.equals(m.topic) && Arrays.equals(payload, m.payload)
                && qos == m.qos && retain == m.retain && dup == m.dup && properties.equals(m.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, dup, properties);
    }

    @Override
    public String toString() {
        return "MqttMessage[topic=" + topic + ", payload=" + payload.length + " bytes, qos=" + qos.level()
                + ", retain=" + retain + ", dup=" + dup + ", properties=" + properties + "]";
    }

    /** Builds an {@link MqttMessage}. */
    public static final class Builder {
        private final String topic;
        private byte[] payload = new byte[0];
        private Qos qos = Qos.AT_MOST_ONCE;
        private boolean retain;
        private MqttProperties.Builder properties = MqttProperties.builder();

        private Builder(String topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
        }

        /** The payload bytes (not copied). */
        public Builder payload(byte[] payload) {
            this.payload = Objects.requireNonNull(payload, "payload");
            return this;
        }

        /** The payload as UTF-8 text. */
        public Builder payload(String payload) {
            return payload(payload.getBytes(StandardCharsets.UTF_8));
        }

        public Builder qos(Qos qos) {
            this.qos = Objects.requireNonNull(qos, "qos");
            return this;
        }

        /** The QoS as its level 0, 1 or 2. */
        public Builder qos(int level) {
            Qos q = Qos.ofLevel(level);
            if (q == null) {
                throw new IllegalArgumentException("QoS must be 0, 1 or 2, was " + level);
            }
            return qos(q);
        }

        public Builder retain(boolean retain) {
            this.retain = retain;
            return this;
        }

        /** Replaces all properties. */
        public Builder properties(MqttProperties properties) {
            this.properties = properties.toBuilder();
            return this;
        }

        /** Adds an MQTT 5.0 user property (a name may repeat). */
        public Builder userProperty(String name, String value) {
            properties.addUserProperty(name, value);
            return this;
        }

        /** MQTT 5.0 content type. */
        public Builder contentType(String contentType) {
            properties.contentType(contentType);
            return this;
        }

        /** MQTT 5.0 response topic, for request/response. */
        public Builder responseTopic(String topic) {
            properties.responseTopic(topic);
            return this;
        }

        /** MQTT 5.0 correlation data, for request/response. */
        public Builder correlationData(byte[] data) {
            properties.correlationData(data);
            return this;
        }

        /** MQTT 5.0 payload format indicator: true for UTF-8 text. */
        public Builder utf8Payload(boolean utf8) {
            properties.payloadFormatIndicator(utf8 ? 1 : 0);
            return this;
        }

        /** MQTT 5.0 message expiry interval (whole seconds). */
        public Builder messageExpiry(Duration expiry) {
            properties.messageExpiryInterval(expiry == null ? null : expiry.toSeconds());
            return this;
        }

        /** For a will only: the MQTT 5.0 will delay interval (whole seconds). */
        public Builder willDelay(Duration delay) {
            properties.willDelayInterval(delay == null ? null : delay.toSeconds());
            return this;
        }

        public MqttMessage build() {
            return new MqttMessage(topic, payload, qos, retain, false, properties.build());
        }
    }
}
