package io.mast.client;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/** Everything the builder collected, immutable. */
record ClientOptions(
        String host,
        int port,
        TlsOptions tls,
        String websocketPath,
        String clientId,
        MqttVersion version,
        boolean cleanStart,
        int keepAliveSeconds,
        String username,
        byte[] password,
        MqttMessage will,
        long sessionExpirySeconds,
        int receiveMaximum,
        int maximumPacketSize,
        int topicAliasMaximum,
        boolean outgoingTopicAliases,
        MqttProperties connectProperties,
        EnhancedAuth enhancedAuth,
        Duration connectTimeout,
        Duration reconnectInitialDelay,
        Duration reconnectMaxDelay,
        boolean resubscribe,
        int maxQueuedMessages,
        List<MessageListener> messageListeners,
        List<ConnectionListener> connectionListeners,
        PacketListener packetListener,
        Executor callbackExecutor,
        EventLoopGroup eventLoopGroup,
        String localAddress,
        java.nio.file.Path unixSocket,
        int maxInflight) {

    /** The largest packet MQTT allows: a remaining length of 268,435,455 plus a 5-byte fixed header. */
    static final int MQTT_MAX_PACKET = 268_435_460;

    boolean reconnect() {
        return reconnectInitialDelay != null;
    }

    boolean websocket() {
        return websocketPath != null;
    }

    /** True when the session outlives a connection, so unacknowledged messages are resent after a reconnect. */
    boolean persistentSession() {
        return version.isV5() ? sessionExpirySeconds > 0 : !cleanStart;
    }
}
