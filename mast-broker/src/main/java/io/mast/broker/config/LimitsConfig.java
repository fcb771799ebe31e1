package io.mast.broker.config;

import java.time.Duration;

/**
 * Protocol and resource limits, shared by all listeners.
 *
 * @param maxConnections       connections accepted at once across listeners, -1 unlimited (default)
 * @param maxPacketSize        the largest packet accepted from a client, in bytes (default and maximum 268435455);
 *                             told to MQTT 5.0 clients as Maximum Packet Size when lower
 * @param maxInflightMessages  QoS 1 and 2 messages sent to a client and not yet acknowledged (default 32); lowered
 *                             to the client's Receive Maximum
 * @param receiveMaximum       QoS 1 and 2 messages a client may have unacknowledged towards the broker (default 1024);
 *                             told to MQTT 5.0 clients, who are disconnected with 0x93 when they exceed it
 * @param maxQueuedMessages    messages held per session while the client is offline or cannot take them (default 1000);
 *                             further messages are dropped and counted
 * @param maxKeepalive         the largest keep-alive accepted, in seconds (default 65535); an MQTT 5.0 client asking
 *                             for more (or for none) is told this as Server Keep Alive, a 3.1.1 client is refused
 * @param maxTopicAlias        topic aliases a client may use towards the broker (default 10, 0 disables)
 * @param connectTimeout       how long a connection may stay open without sending CONNECT (default 10s)
 * @param maxPendingDecisions  PUBLISH packets of one client whose decisions (asynchronous plugins, hook servers) may be
 *                             under way at once (default 32); the results are carried out in arrival order; 1 asks
 *                             one decision at a time
 */
public record LimitsConfig(Integer maxConnections, Integer maxPacketSize, Integer maxInflightMessages,
                           Integer receiveMaximum, Integer maxQueuedMessages, Integer maxKeepalive,
                           Integer maxTopicAlias, Duration connectTimeout, Integer maxPendingDecisions) {

    /** The protocol's largest packet: a 268,435,455-byte remaining length plus a 5-byte fixed header. */
    public static final int PROTOCOL_MAX_PACKET_SIZE = 268_435_460;

    public LimitsConfig {
        maxConnections = Check.limitOrUnlimited("max_connections", maxConnections, -1);
        maxPacketSize = Check.range("max_packet_size", maxPacketSize, PROTOCOL_MAX_PACKET_SIZE, 16, PROTOCOL_MAX_PACKET_SIZE);
        maxInflightMessages = Check.range("max_inflight_messages", maxInflightMessages, 32, 1, 65535);
        receiveMaximum = Check.range("receive_maximum", receiveMaximum, 1024, 1, 65535);
        maxQueuedMessages = Check.range("max_queued_messages", maxQueuedMessages, 1000, 0, Integer.MAX_VALUE);
        maxKeepalive = Check.range("max_keepalive", maxKeepalive, 65535, 1, 65535);
        maxTopicAlias = Check.range("max_topic_alias", maxTopicAlias, 10, 0, 65535);
        connectTimeout = Check.positive("connect_timeout", connectTimeout, Duration.ofSeconds(10));
        maxPendingDecisions = Check.range("max_pending_decisions", maxPendingDecisions, 32, 1, 65535);
    }

    /** All defaults. */
    public static LimitsConfig defaults() {
        return new LimitsConfig(null, null, null, null, null, null, null, null, null);
    }
}
