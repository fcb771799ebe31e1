package io.mast.plugin;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An application message, immutable. The payload is never exposed for writing: {@link #payload()} copies it,
 * {@link #payloadBuffer()} is a read-only view without a copy.
 */
public final class Message {

    private final String id;
    private final String topic;
    private final byte[] payload;
    private final int qos;
    private final boolean retain;
    private final String publisherId;
    private final long timestamp;
    private final Long messageExpiryInterval;
    private final Integer payloadFormatIndicator;
    private final String contentType;
    private final String responseTopic;
    private final byte[] correlationData;
    private final List<UserProperty> userProperties;

    private Message(Builder b, boolean copyPayload) {
        this.id = b.id;
        this.topic = Objects.requireNonNull(b.topic, "topic");
        this.payload = copyPayload ? b.payload.clone() : b.payload;
        if (b.qos < 0 || b.qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, was " + b.qos);
        }
        this.qos = b.qos;
        this.retain = b.retain;
        this.publisherId = b.publisherId;
        this.timestamp = b.timestamp == 0 ? System.currentTimeMillis() : b.timestamp;
        this.messageExpiryInterval = b.messageExpiryInterval;
        this.payloadFormatIndicator = b.payloadFormatIndicator;
        this.contentType = b.contentType;
        this.responseTopic = b.responseTopic;
        this.correlationData = b.correlationData;
        this.userProperties = List.copyOf(b.userProperties);
    }

    /** A builder for a message to a topic. */
    public static Builder builder(String topic) {
        return new Builder().topic(topic);
    }

    /** A QoS 0 message with a UTF-8 payload. */
    public static Message of(String topic, String payload) {
        return builder(topic).payload(payload).build();
    }

    /**
     * For the broker and client runtimes: a message sharing {@code payload} without copying it. The caller promises
     * never to change the array afterwards.
     */
    public static Message wrap(Builder builder) {
        return new Message(builder, false);
    }

    /** A builder holding this message, to make a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.topic = topic;
        b.payload = payload;
        b.qos = qos;
        b.retain = retain;
        b.publisherId = publisherId;
        b.timestamp = timestamp;
        b.messageExpiryInterval = messageExpiryInterval;
        b.payloadFormatIndicator = payloadFormatIndicator;
        b.contentType = contentType;
        b.responseTopic = responseTopic;
        b.correlationData = correlationData;
        b.userProperties.addAll(userProperties);
        return b;
    }

    /**
     * The broker's identifier of the message (hexadecimal), the same in every event about it (published, delivered,
     * acked, dropped); {@code null} for a message a plugin built and the broker has not routed yet.
     */
    public String id() {
        return id;
    }

    public String topic() {
        return topic;
    }

    /** A copy of the payload. */
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload as a read-only buffer, without a copy. */
    public ByteBuffer payloadBuffer() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** The payload decoded as UTF-8. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public int payloadSize() {
        return payload.length;
    }

    /** 0, 1 or 2. */
    public int qos() {
        return qos;
    }

    public boolean retain() {
        return retain;
    }

    /** The client that published it, or {@code null} when the broker (or a plugin) did. */
    public String publisherId() {
        return publisherId;
    }

    /** When the broker received it, epoch milliseconds. */
    public long timestamp() {
        return timestamp;
    }

    /** Seconds until it expires, or {@code null} when it does not. */
    public Long messageExpiryInterval() {
        return messageExpiryInterval;
    }

    /** 1 when the payload is UTF-8 text, 0 or {@code null} otherwise. */
    public Integer payloadFormatIndicator() {
        return payloadFormatIndicator;
    }

    public String contentType() {
        return contentType;
    }

    public String responseTopic() {
        return responseTopic;
    }

    /** A copy of the correlation data, or {@code null}. */
    public byte[] correlationData() {
        return correlationData == null ? null : correlationData.clone();
    }

    public List<UserProperty> userProperties() {
        return userProperties;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && topic.equals(m.topic) && Arrays.equals(payload, m.payload) && qos == m.qos
                && retain == m.retain && Objects.equals(publisherId, m.publisherId)
                && Objects.equals(messageExpiryInterval, m.messageExpiryInterval)
                && Objects.equals(payloadFormatIndicator, m.payloadFormatIndicator)
                && Objects.equals(contentType, m.contentType) && Objects.equals(responseTopic, m.responseTopic)
                && Arrays.equals(correlationData, m.correlationData) && userProperties.equals(m.userProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain);
    }

    @Override
    public String toString() {
        return "Message[topic=" + topic + ", qos=" + qos + ", retain=" + retain + ", " + payload.length + " bytes"
                + (publisherId == null ? "" : ", from=" + publisherId) + "]";
    }

    /** Builds a {@link Message}. */
    public static final class Builder {
        private String id;
        private String topic;
        private byte[] payload = new byte[0];
        private int qos;
        private boolean retain;
        private String publisherId;
        private long timestamp;
        private Long messageExpiryInterval;
        private Integer payloadFormatIndicator;
        private String contentType;
        private String responseTopic;
        private byte[] correlationData;
        private final List<UserProperty> userProperties = new ArrayList<>(0);

        private Builder() {
        }

        /** Set by the broker; a plugin changing a message keeps it through {@link Message#toBuilder()}. */
        public Builder id(String v) {
            id = v;
            return this;
        }

        public Builder topic(String v) {
            topic = v;
            return this;
        }

        public Builder payload(byte[] v) {
            payload = Objects.requireNonNull(v, "payload");
            return this;
        }

        public Builder payload(String utf8) {
            payload = utf8.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Builder qos(int v) {
            qos = v;
            return this;
        }

        public Builder retain(boolean v) {
            retain = v;
            return this;
        }

        public Builder publisherId(String v) {
            publisherId = v;
            return this;
        }

        public Builder timestamp(long epochMillis) {
            timestamp = epochMillis;
            return this;
        }

        public Builder messageExpiryInterval(Long seconds) {
            messageExpiryInterval = seconds;
            return this;
        }

        public Builder payloadFormatIndicator(Integer v) {
            payloadFormatIndicator = v;
            return this;
        }

        public Builder contentType(String v) {
            contentType = v;
            return this;
        }

        public Builder responseTopic(String v) {
            responseTopic = v;
            return this;
        }

        public Builder correlationData(byte[] v) {
            correlationData = v == null ? null : v.clone();
            return this;
        }

        public Builder userProperty(String name, String value) {
            userProperties.add(new UserProperty(name, value));
            return this;
        }

        public Builder userProperties(List<UserProperty> v) {
            userProperties.clear();
            userProperties.addAll(v);
            return this;
        }

        /** The message; the payload array is copied, so the builder's caller may reuse it. */
        public Message build() {
            return new Message(this, true);
        }
    }
}
