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
 *                             told to MQTT 5.0 clients, who are disconnected with 0x93 when they exceed it; the broker
 *                             stops reading from a 3.1.1 client that reaches it until its messages are acknowledged
 * @param maxQueuedMessages    messages held per session while the client is offline or cannot take them (default 1000);
 *                             what does not fit is handled by {@code slow_subscribers.overflow}
 * @param maxKeepalive         the largest keep-alive accepted, in seconds (default 65535); an MQTT 5.0 client asking
 *                             for more (or for none) is told this as Server Keep Alive, a 3.1.1 client is refused
 * @param maxTopicAlias        topic aliases a client may use towards the broker (default 10, 0 disables)
 * @param connectTimeout       how long a connection may stay open without sending CONNECT (default 10s)
 * @param maxPendingDecisions  PUBLISH packets of one client whose decisions (asynchronous plugins, hook servers) may be
 *                             under way at once (default 32); the results are carried out in arrival order; 1 asks
 *                             one decision at a time
 * @param maxQueuedBytes       bytes of messages held per session, as {@code maxQueuedMessages} counts messages
 *                             (default 64 MiB; 0 for no byte limit)
 * @param maxQueuedBytesTotal  bytes of messages held in all sessions' queues together (default a quarter of the JVM's
 *                             maximum heap; 0 for no limit): above it, messages that would be queued are dropped and
 *                             their publishers are paused (at most once until the queues drained below three quarters)
 * @param maxConnectPacketSize the largest CONNECT or AUTH packet accepted before a successful CONNACK (default 65536):
 *                             an unauthenticated client cannot make the broker hold more
 * @param maxUnauthenticatedBytes bytes that connections not yet authenticated may hold in the broker together (default
 *                             64 MiB): a new connection's bytes beyond it close that connection
 * @param maxConnectionRate    new connections per second accepted on each listener, -1 unlimited (default)
 * @param maxConnectionRatePerAddress new connections per second accepted from one source address on each listener,
 *                             -1 unlimited (default)
 */
public record LimitsConfig(Integer maxConnections, Integer maxPacketSize, Integer maxInflightMessages,
                           Integer receiveMaximum, Integer maxQueuedMessages, Integer maxKeepalive,
                           Integer maxTopicAlias, Duration connectTimeout, Integer maxPendingDecisions,
                           Long maxQueuedBytes, Long maxQueuedBytesTotal, Integer maxConnectPacketSize,
                           Long maxUnauthenticatedBytes, Integer maxConnectionRate,
                           Integer maxConnectionRatePerAddress) {

    /** The protocol's largest packet: a 268,435,455-byte remaining length plus a 5-byte fixed header. */
    public static final int PROTOCOL_MAX_PACKET_SIZE = 268_435_460;

    private static final long MIB = 1024 * 1024;

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
        maxQueuedBytes = Check.bytes("max_queued_bytes", maxQueuedBytes, 64 * MIB, 0);
        maxQueuedBytesTotal = Check.bytes("max_queued_bytes_total", maxQueuedBytesTotal,
                Runtime.getRuntime().maxMemory() / 4, 0);
        maxConnectPacketSize = Check.range("max_connect_packet_size", maxConnectPacketSize, 65536, 64,
                PROTOCOL_MAX_PACKET_SIZE);
        maxUnauthenticatedBytes = Check.bytes("max_unauthenticated_bytes", maxUnauthenticatedBytes, 64 * MIB, 65536);
        maxConnectionRate = Check.limitOrUnlimited("max_connection_rate", maxConnectionRate, -1);
        maxConnectionRatePerAddress = Check.limitOrUnlimited("max_connection_rate_per_address",
                maxConnectionRatePerAddress, -1);
    }

    /** The limits of earlier releases' nine keys; the others take their defaults. */
    public LimitsConfig(Integer maxConnections, Integer maxPacketSize, Integer maxInflightMessages,
                        Integer receiveMaximum, Integer maxQueuedMessages, Integer maxKeepalive,
                        Integer maxTopicAlias, Duration connectTimeout, Integer maxPendingDecisions) {
        this(maxConnections, maxPacketSize, maxInflightMessages, receiveMaximum, maxQueuedMessages, maxKeepalive,
                maxTopicAlias, connectTimeout, maxPendingDecisions, null, null, null, null, null, null);
    }

    /** All defaults. */
    public static LimitsConfig defaults() {
        return new LimitsConfig(null, null, null, null, null, null, null, null, null);
    }

    /** These limits with other queue bounds per session (messages, bytes). */
    public LimitsConfig withQueues(int messages, long bytes) {
        return new LimitsConfig(maxConnections, maxPacketSize, maxInflightMessages, receiveMaximum, messages,
                maxKeepalive, maxTopicAlias, connectTimeout, maxPendingDecisions, bytes, maxQueuedBytesTotal,
                maxConnectPacketSize, maxUnauthenticatedBytes, maxConnectionRate, maxConnectionRatePerAddress);
    }

    /** These limits with the listener's overrides (those given, non-null). */
    LimitsConfig overriddenBy(Integer packetSize, Integer keepalive, Integer receiveMax, Duration timeout) {
        return new LimitsConfig(maxConnections, packetSize != null ? packetSize : maxPacketSize, maxInflightMessages,
                receiveMax != null ? receiveMax : receiveMaximum, maxQueuedMessages,
                keepalive != null ? keepalive : maxKeepalive, maxTopicAlias,
                timeout != null ? timeout : connectTimeout, maxPendingDecisions, maxQueuedBytes, maxQueuedBytesTotal,
                maxConnectPacketSize, maxUnauthenticatedBytes, maxConnectionRate, maxConnectionRatePerAddress);
    }
}
