package io.mast.broker.message;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.encoder.PacketEncoder;
import io.mast.codec.packet.Publish;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * An application message inside the broker: immutable, shared by every subscriber it is delivered to.
 *
 * <p>Its properties are those that travel with the message (payload format, content type, response topic,
 * correlation data, user properties); the per-delivery ones (topic alias, subscription identifiers, the remaining
 * expiry) are added when it is sent. Expiry is an absolute deadline so that it keeps counting while the message
 * waits in a queue or in the store.
 *
 * <p>The QoS 0 encoding of the common variant (no expiry, no subscription identifier, no alias) is made once per
 * protocol family and RETAIN flag, and the same bytes are written to every subscriber that can take them.
 */
public final class BrokerMessage {

    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();
    /** The high half of message identifiers: when this broker started, so identifiers differ across restarts. */
    private static final long EPOCH = System.currentTimeMillis();
    private static final HexFormat HEX = HexFormat.of();

    private final long id = SEQUENCE.incrementAndGet();
    private final String topic;
    private final byte[] payload;
    private final Qos qos;
    private final boolean retain;
    private final MqttProperties properties;
    private final String publisherId;
    private final long createdAt;
    private final long expiresAt;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(byte[][].class);

    /** Encoded QoS 0 packets: [v3 retain=0, v3 retain=1, v5 retain=0, v5 retain=1], published with release semantics. */
    private final byte[][] encodedQos0 = new byte[4][];

    /**
     * @param topic        the topic name
     * @param payload      the payload, not copied: never change it afterwards
     * @param qos          the QoS it was published with
     * @param retain       the RETAIN flag it was published with
     * @param properties   message properties (topic alias, subscription identifiers and message expiry are ignored)
     * @param publisherId  the client that published it, or {@code null} for the broker itself (plugins, $SYS)
     * @param createdAt    when it was received, epoch milliseconds
     * @param expiresAt    when it expires, epoch milliseconds, or 0 for never
     */
    public BrokerMessage(String topic, byte[] payload, Qos qos, boolean retain, MqttProperties properties,
                         String publisherId, long createdAt, long expiresAt) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.payload = Objects.requireNonNull(payload, "payload");
        this.qos = Objects.requireNonNull(qos, "qos");
        this.retain = retain;
        this.properties = strip(properties);
        this.publisherId = publisherId;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    /** The message a received PUBLISH carries, its topic alias already resolved to {@code topic}. */
    public static BrokerMessage fromPublish(Publish p, String topic, String publisherId, long now) {
        Long expiry = p.properties().messageExpiryInterval();
        long expiresAt = expiry == null ? 0 : now + expiry * 1000L;
        return new BrokerMessage(topic, p.payload(), p.qos(), p.retain(), p.properties(), publisherId, now, expiresAt);
    }

    private static MqttProperties strip(MqttProperties p) {
        if (p == null || p == MqttProperties.EMPTY) {
            return MqttProperties.EMPTY;
        }
        if (p.topicAlias() == null && p.subscriptionIdentifiers().isEmpty() && p.messageExpiryInterval() == null) {
            return p;
        }
        return p.toBuilder().topicAlias(null).subscriptionIdentifiers(null).messageExpiryInterval(null).build();
    }

    /** The message's identifier, unique within this broker's run: 32 hex digits (start time, sequence). */
    public String id() {
        return HEX.toHexDigits(EPOCH) + HEX.toHexDigits(id); // asked per message by plugins: no String.format
    }

    public String topic() {
        return topic;
    }

    /** The payload; do not modify it. */
    public byte[] payload() {
        return payload;
    }

    public Qos qos() {
        return qos;
    }

    public boolean retain() {
        return retain;
    }

    public MqttProperties properties() {
        return properties;
    }

    /** The publishing client, or {@code null} when the broker or a plugin published it. */
    public String publisherId() {
        return publisherId;
    }

    public long createdAt() {
        return createdAt;
    }

    /**
     * The memory a queued copy of this message is counted for in queue limits: payload, topic and properties plus a
     * fixed overhead. An estimate: copies of one message in several queues share its payload.
     */
    public int size() {
        int props = properties == MqttProperties.EMPTY ? 0 : 64 + properties.userProperties().size() * 64;
        return payload.length + 2 * topic.length() + props + 96;
    }

    /** Epoch milliseconds at which the message expires, or 0 for never. */
    public long expiresAt() {
        return expiresAt;
    }

    public boolean isExpired(long now) {
        return expiresAt != 0 && now >= expiresAt;
    }

    /** Seconds left before expiry, rounded up, for the forwarded Message Expiry Interval; -1 when it never expires. */
    public long remainingExpirySeconds(long now) {
        if (expiresAt == 0) {
            return -1;
        }
        return Math.max(0, (expiresAt - now + 999) / 1000);
    }

    /** A copy with another topic, payload, QoS, retain flag or properties (for plugins that change messages). */
    public BrokerMessage with(String newTopic, byte[] newPayload, Qos newQos, boolean newRetain, MqttProperties newProps) {
        return new BrokerMessage(newTopic, newPayload, newQos, newRetain, newProps, publisherId, createdAt, expiresAt);
    }

    /** A copy with another QoS and retain flag. */
    public BrokerMessage with(Qos newQos, boolean newRetain) {
        return new BrokerMessage(topic, payload, newQos, newRetain, properties, publisherId, createdAt, expiresAt);
    }

    /**
     * The PUBLISH sent to one subscriber.
     *
     * @param deliveryQos      the QoS granted for this delivery
     * @param retainFlag       the RETAIN flag to send
     * @param packetId         the packet identifier, 0 for QoS 0
     * @param dup              the DUP flag
     * @param subscriptionIds  the identifiers of the matching subscriptions (MQTT 5.0)
     * @param now              the current time, for the remaining expiry
     */
    public Publish toPublish(Qos deliveryQos, boolean retainFlag, int packetId, boolean dup,
                             List<Integer> subscriptionIds, long now) {
        long remaining = remainingExpirySeconds(now);
        MqttProperties props = properties;
        if (remaining >= 0 || !subscriptionIds.isEmpty()) {
            MqttProperties.Builder b = properties.toBuilder().subscriptionIdentifiers(subscriptionIds);
            if (remaining >= 0) {
                b.messageExpiryInterval(remaining);
            }
            props = b.build();
        }
        return new Publish(dup, deliveryQos, retainFlag, topic, packetId, props, payload);
    }

    /**
     * The shared encoding of this message as a QoS 0 PUBLISH without per-delivery properties, or {@code null} when
     * every delivery differs (the message expires). The bytes are made once per protocol family and RETAIN flag.
     */
    public byte[] sharedQos0Encoding(MqttVersion version, boolean retainFlag) {
        if (expiresAt != 0) {
            return null;
        }
        int slot = (version.isV5() ? 2 : 0) + (retainFlag ? 1 : 0);
        byte[] cached = (byte[]) SLOT.getAcquire(encodedQos0, slot);
        if (cached == null) {
            Publish p = new Publish(false, Qos.AT_MOST_ONCE, retainFlag, topic, 0, properties, payload);
            ByteBuf buf = PacketEncoder.encode(UnpooledByteBufAllocator.DEFAULT, p, version);
            try {
                cached = ByteBufUtil.getBytes(buf);
            } finally {
                buf.release();
            }
            SLOT.setRelease(encodedQos0, slot, cached); // two threads may both encode; either result is right
        }
        return cached;
    }

    @Override
    public String toString() {
        return "Message[topic=" + topic + ", qos=" + qos.level() + ", retain=" + retain + ", " + payload.length
                + " bytes, from=" + publisherId + "]";
    }
}
