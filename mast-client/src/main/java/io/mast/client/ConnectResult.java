package io.mast.client;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;

/**
 * The broker's CONNACK of a successful connection.
 *
 * @param sessionPresent true when the broker resumed a session it held for this client identifier
 * @param reasonCode     {@link ReasonCode#SUCCESS}
 * @param properties     the server's MQTT 5.0 properties (limits, assigned client identifier, server keep-alive ...);
 *                       empty on MQTT 3.1.1
 * @param clientId       the client identifier in use: the one the client sent, or the one the server assigned
 * @param version        the protocol version spoken
 */
public record ConnectResult(boolean sessionPresent, ReasonCode reasonCode, MqttProperties properties, String clientId,
                            MqttVersion version) {

    /** The server's Receive Maximum: how many QoS 1 and 2 publishes may be unacknowledged (65535 when absent). */
    public int receiveMaximum() {
        return properties.receiveMaximum() == null ? 65_535 : properties.receiveMaximum();
    }

    /** The largest packet the server accepts, or {@code Long.MAX_VALUE} when it set no limit. */
    public long maximumPacketSize() {
        return properties.maximumPacketSize() == null ? Long.MAX_VALUE : properties.maximumPacketSize();
    }

    /** How many topic aliases the client may use towards the server (0 when absent). */
    public int topicAliasMaximum() {
        return properties.topicAliasMaximum() == null ? 0 : properties.topicAliasMaximum();
    }

    /** The highest QoS the server accepts in a PUBLISH. */
    public Qos maximumQos() {
        return properties.maximumQos() == null ? Qos.EXACTLY_ONCE : properties.maximumQos();
    }

    /** Whether the server accepts retained messages. */
    public boolean retainAvailable() {
        return properties.retainAvailable() == null || properties.retainAvailable();
    }
}
