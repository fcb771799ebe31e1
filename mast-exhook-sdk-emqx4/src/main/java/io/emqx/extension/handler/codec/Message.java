package io.emqx.extension.handler.codec;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A message in the message hooks. {@code onMessagePublish} may change its {@code topic}, {@code qos} and
 * {@code payload} and return it: that is what the broker publishes.
 */
public class Message implements HandlerParameter, HandlerReturn {

    /** The broker node that received it. */
    public String node;
    /** The broker's identifier of the message. */
    public String id;
    public int qos;
    /** The publisher's client identifier. */
    public String from;
    public String topic;
    public byte[] payload;
    /** When the broker received it, in milliseconds since the epoch. */
    public long timestamp;

    public Message(String node, String id, int qos, String from, String topic, byte[] payload, long timestamp) {
        this.node = node;
        this.id = id;
        this.qos = qos;
        this.from = from;
        this.topic = topic;
        this.payload = payload;
        this.timestamp = timestamp;
    }

    @Override
    public Object encode(ResultCode rc) {
        return List.of(rc.getValue(), this);
    }

    /** The payload as UTF-8 text. */
    @Override
    public String toString() {
        return "Message (node=" + node + ", id=" + id + ", qos=" + qos + ", from=" + from + ", topic=" + topic
                + ", payload=" + (payload == null ? null : new String(payload, StandardCharsets.UTF_8))
                + ", timestamp=" + timestamp + ")";
    }
}
