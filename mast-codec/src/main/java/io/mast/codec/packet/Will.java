package io.mast.codec.packet;

import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import java.util.Arrays;
import java.util.Objects;

/**
 * The will message of a CONNECT.
 *
 * @param topic      the will topic
 * @param payload    the will payload (read-only)
 * @param qos        the QoS to publish it with
 * @param retain     whether it is published retained
 * @param properties MQTT 5.0 will properties (delay, expiry, content type ...)
 */
public record Will(String topic, byte[] payload, Qos qos, boolean retain, MqttProperties properties) {

    public Will {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Will w && topic.equals(w.topic) && Arrays.equals(payload, w.payload) && qos == w.qos
                && retain == w.retain && properties.equals(w.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, properties);
    }

    @Override
    public String toString() {
        return "Will[topic=" + topic + ", payload=" + payload.length + " bytes, qos=" + qos + ", retain=" + retain
                + ", properties=" + properties + "]";
    }
}
