package io.mast.exhook.sdk;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An application message in the message hooks. Immutable: {@link #withTopic}, {@link #withPayload(String)} and
 * {@link #withQos} return a changed copy, which {@link HookProvider#onMessagePublish} may return in place of the
 * original.
 *
 * @param node      the broker node that received it
 * @param id        the broker's identifier of the message, the same in every hook about it
 * @param qos       the QoS, 0 to 2
 * @param from      the publishing client's identifier
 * @param topic     the topic
 * @param payload   the payload (not copied: do not change the array)
 * @param timestamp milliseconds since the epoch when the broker received it
 * @param headers   headers: {@code username}, {@code protocol}, {@code peerhost} (read only) and
 *                  {@code allow_publish}
 */
public record Message(String node, String id, int qos, String from, String topic, byte[] payload, long timestamp,
        Map<String, String> headers) {

    /** Checks for nulls and copies the headers. */
    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        headers = Map.copyOf(headers);
    }

    /** A message with only a topic, payload and QoS, as a test or a hook building a new message would make one. */
    public static Message of(String topic, String payload, int qos) {
        return new Message("", "", qos, "", topic, payload.getBytes(StandardCharsets.UTF_8), 0, Map.of());
    }

    /** The payload decoded as UTF-8. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** A header's value, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** This message on another topic. */
    public Message withTopic(String newTopic) {
        return new Message(node, id, qos, from, newTopic, payload, timestamp, headers);
    }

    /** This message with another payload. */
    public Message withPayload(byte[] newPayload) {
        return new Message(node, id, qos, from, topic, newPayload, timestamp, headers);
    }

    /** This message with another payload, encoded as UTF-8. */
    public Message withPayload(String newPayload) {
        return withPayload(newPayload.getBytes(StandardCharsets.UTF_8));
    }

    /** This message with another QoS. */
    public Message withQos(int newQos) {
        return new Message(node, id, newQos, from, topic, payload, timestamp, headers);
    }

    /** This message with a header set. */
    public Message withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Message(node, id, qos, from, topic, payload, timestamp, h);
    }

    /** Compares the payload by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && qos == m.qos && timestamp == m.timestamp && node.equals(m.node)
                && id.equals(m.id) && from.equals(m.from) && topic.equals(m.topic)
                && Arrays.equals(payload, m.payload) && headers.equals(m.headers);
    }

    /** Hashes the payload by content. */
    @Override
    public int hashCode() {
        return Objects.hash(node, id, qos, from, topic, Arrays.hashCode(payload), timestamp, headers);
    }

    /** Shows the payload's length, not its bytes. */
    @Override
    public String toString() {
        return "Message[id=" + id + ", from=" + from + ", topic=" + topic + ", qos=" + qos + ", payload="
                + payload.length + " bytes, headers=" + headers + "]";
    }
}
