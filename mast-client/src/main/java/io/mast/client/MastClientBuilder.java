package io.mast.client;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.plugin.ClientPlugin;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLException;

/**
 * Builds a {@link MastClient}. Every setting has a default: {@code MastClient.builder().build()} connects to
 * {@code localhost:1883} with MQTT 5.0, a clean start, a generated client identifier and a 60 s keep-alive.
 * <pre>{@code
 * MastClient client = MastClient.builder()
 *         .uri("mqtts://alice:secret@broker.example.com")
 *         .clientId("sensor-17")
 *         .sessionExpiry(Duration.ofHours(1))
 *         .automaticReconnect(Duration.ofSeconds(1), Duration.ofMinutes(2))
 *         .build();
 * }</pre>
 */
public final class MastClientBuilder {

    private String host = "localhost";
    private Integer port;
    private TlsOptions tls;
    private String websocketPath;
    private String clientId;
    private MqttVersion version = MqttVersion.MQTT_5;
    private boolean cleanStart = true;
    private int keepAliveSeconds = 60;
    private String username;
    private byte[] password;
    private MqttMessage will;
    private long sessionExpirySeconds;
    private int receiveMaximum = 65_535;
    private int maxInflight = 65_535;
    private String localAddress;
    private Path unixSocket;
    private int maximumPacketSize = ClientOptions.MQTT_MAX_PACKET;
    private int topicAliasMaximum;
    private boolean outgoingTopicAliases = true;
    private MqttProperties.Builder connectProperties = MqttProperties.builder();
    private EnhancedAuth enhancedAuth;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration reconnectInitialDelay;
    private Duration reconnectMaxDelay;
    private boolean resubscribe = true;
    private int maxQueuedMessages = 1_000_000;
    private final List<MessageListener> messageListeners = new ArrayList<>();
    private final List<ConnectionListener> connectionListeners = new ArrayList<>();
    private PacketListener packetListener;
    private Executor callbackExecutor;
    private EventLoopGroup eventLoopGroup;
    private final List<PluginDeclaration> plugins = new ArrayList<>();

    MastClientBuilder() {
    }

    /** The broker's host name or address (default {@code localhost}). */
    public MastClientBuilder host(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /** The broker's port (default 1883, or 8883 with TLS, 80 / 443 for WebSocket). */
    public MastClientBuilder port(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
        this.port = port;
        return this;
    }

    /**
     * The broker as a URI: {@code mqtt://host:port}, {@code mqtts://} (TLS with the JVM's CA certificates unless
     * {@link #tls(TlsOptions)} says otherwise), {@code ws://host:port/path}, {@code wss://}. User name and password in
     * the URI ({@code mqtt://user:pass@host}) become the credentials.
     */
    public MastClientBuilder uri(String uri) {
        return uri(ServerUri.parse(uri));
    }

    /** The broker as a parsed URI (see {@link #uri(String)}). */
    public MastClientBuilder uri(ServerUri u) {
        host = u.host();
        port = u.port();
        if (u.tls() && tls == null) {
            tls = TlsOptions.system();
        } else if (!u.tls()) {
            tls = null;
        }
        websocketPath = u.websocket() ? "/" + u.path() : null;
        if (u.username() != null) {
            username = u.username();
        }
        if (u.password() != null) {
            password = u.password().getBytes(StandardCharsets.UTF_8);
        }
        return this;
    }

    /** Connects with TLS (or {@code null} for none). */
    public MastClientBuilder tls(TlsOptions tls) {
        this.tls = tls;
        return this;
    }

    /** Speaks MQTT over WebSocket on this path (subprotocol {@code mqtt}); {@code null} for plain TCP. */
    public MastClientBuilder websocket(String path) {
        this.websocketPath = path;
        return this;
    }

    /** The client identifier (default: {@code mast-} and random characters; empty lets an MQTT 5.0 server assign one). */
    public MastClientBuilder clientId(String clientId) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        return this;
    }

    /**
     * {@link MqttVersion#MQTT_5} (default), {@link MqttVersion#MQTT_3_1_1}, or {@link MqttVersion#MQTT_3_1} (the
     * {@code MQIsdp} protocol of old brokers, which behaves as 3.1.1 here but needs a client identifier of 1 to 23
     * characters).
     */
    public MastClientBuilder version(MqttVersion version) {
        this.version = Objects.requireNonNull(version, "version");
        return this;
    }

    /**
     * Clean Start (5.0) or Clean Session (3.1.1), default true. With MQTT 5.0 it applies to the first connection only:
     * automatic reconnects resume the session (whose life is the {@link #sessionExpiry session expiry}).
     */
    public MastClientBuilder cleanStart(boolean cleanStart) {
        this.cleanStart = cleanStart;
        return this;
    }

    /** The keep-alive interval (default 60 s; 0 for none), in whole seconds up to 65535. */
    public MastClientBuilder keepAlive(Duration keepAlive) {
        long s = keepAlive.toSeconds();
        if (s < 0 || s > 65_535) {
            throw new IllegalArgumentException("keep-alive must be 0 to 65535 seconds, was " + s);
        }
        this.keepAliveSeconds = (int) s;
        return this;
    }

    /** User name and password (either may be {@code null}). */
    public MastClientBuilder credentials(String username, String password) {
        this.username = username;
        this.password = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** User name and binary password (either may be {@code null}). */
    public MastClientBuilder credentials(String username, byte[] password) {
        this.username = username;
        this.password = password;
        return this;
    }

    /** The will: published by the broker when the connection ends without DISCONNECT. Its properties may carry a will delay. */
    public MastClientBuilder will(MqttMessage will) {
        this.will = will;
        return this;
    }

    /** MQTT 5.0 session expiry (default 0: the session ends with the connection); {@code Durations.NEVER}-like values cap at 0xFFFFFFFF s. */
    public MastClientBuilder sessionExpiry(Duration expiry) {
        this.sessionExpirySeconds = Math.min(expiry.toSeconds(), 0xFFFF_FFFFL);
        return this;
    }

    /** MQTT 5.0 session expiry in seconds (0xFFFFFFFF: never). */
    public MastClientBuilder sessionExpiry(long seconds) {
        if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("session expiry must be 0 to 4294967295 seconds, was " + seconds);
        }
        this.sessionExpirySeconds = seconds;
        return this;
    }

    /**
     * How many QoS 1 and 2 messages this client sends before the broker acknowledges them (default 65535; the broker's
     * receive maximum still applies). Mosquitto's clients call it {@code -M} (max inflight).
     */
    public MastClientBuilder maxInflight(int maxInflight) {
        if (maxInflight < 1 || maxInflight > 65_535) {
            throw new IllegalArgumentException("max inflight must be 1 to 65535, was " + maxInflight);
        }
        this.maxInflight = maxInflight;
        return this;
    }

    /** The local address to connect from (a host name or IP address; port chosen by the system), e.g. an interface's. */
    public MastClientBuilder localAddress(String address) {
        this.localAddress = address;
        return this;
    }

    /**
     * Connects through a Unix domain socket instead of TCP (Linux, with Netty's native epoll transport); the host and
     * port are then only names.
     */
    public MastClientBuilder unixSocket(Path path) {
        this.unixSocket = path;
        return this;
    }

    /** MQTT 5.0: how many QoS 1 and 2 messages the broker may send before the client acknowledges them (default 65535). */
    public MastClientBuilder receiveMaximum(int receiveMaximum) {
        if (receiveMaximum < 1 || receiveMaximum > 65_535) {
            throw new IllegalArgumentException("receive maximum must be 1 to 65535, was " + receiveMaximum);
        }
        this.receiveMaximum = receiveMaximum;
        return this;
    }

    /** MQTT 5.0: the largest packet the client accepts; a larger one closes the connection with 0x95. */
    public MastClientBuilder maximumPacketSize(int bytes) {
        if (bytes < 16) {
            throw new IllegalArgumentException("maximum packet size must be at least 16 bytes, was " + bytes);
        }
        this.maximumPacketSize = Math.min(bytes, ClientOptions.MQTT_MAX_PACKET);
        return this;
    }

    /** MQTT 5.0: how many topic aliases the broker may use towards the client (default 0: none). */
    public MastClientBuilder topicAliasMaximum(int maximum) {
        if (maximum < 0 || maximum > 65_535) {
            throw new IllegalArgumentException("topic alias maximum must be 0 to 65535, was " + maximum);
        }
        this.topicAliasMaximum = maximum;
        return this;
    }

    /** MQTT 5.0: use topic aliases towards the broker when it allows them (default true; least recently used topics give theirs up). */
    public MastClientBuilder outgoingTopicAliases(boolean use) {
        this.outgoingTopicAliases = use;
        return this;
    }

    /** Adds an MQTT 5.0 user property to CONNECT. */
    public MastClientBuilder userProperty(String name, String value) {
        connectProperties.addUserProperty(name, value);
        return this;
    }

    /**
     * Further MQTT 5.0 CONNECT properties (request problem / response information, user properties ...). Session
     * expiry, receive maximum, maximum packet size, topic alias maximum and authentication set by their own methods
     * take precedence.
     */
    public MastClientBuilder connectProperties(MqttProperties properties) {
        this.connectProperties = properties.toBuilder();
        return this;
    }

    /** MQTT 5.0 enhanced authentication. */
    public MastClientBuilder enhancedAuth(EnhancedAuth auth) {
        this.enhancedAuth = auth;
        return this;
    }

    /** How long TCP connect, TLS and WebSocket handshakes and CONNACK may take together (default 10 s). */
    public MastClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /**
     * Reconnects by itself when an established connection is lost, after a delay that starts at {@code initialDelay}
     * and doubles up to {@code maxDelay} (each with random jitter down to half). A persistent session is resumed and
     * what it had not acknowledged is sent again. A first {@link MastClient#connect()} that fails is not retried.
     */
    public MastClientBuilder automaticReconnect(Duration initialDelay, Duration maxDelay) {
        this.reconnectInitialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
        this.reconnectMaxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
        return this;
    }

    /** Automatic reconnect with a delay of 1 s doubling up to 2 min (true), or none (false, the default). */
    public MastClientBuilder automaticReconnect(boolean reconnect) {
        this.reconnectInitialDelay = reconnect ? Duration.ofSeconds(1) : null;
        this.reconnectMaxDelay = reconnect ? Duration.ofMinutes(2) : null;
        return this;
    }

    /** After reconnecting to a broker that kept no session, subscribe again to what the client had subscribed (default true). */
    public MastClientBuilder resubscribe(boolean resubscribe) {
        this.resubscribe = resubscribe;
        return this;
    }

    /** How many publishes may wait for the connection or the inflight window before publish fails fast (default 1,000,000). */
    public MastClientBuilder maxQueuedMessages(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max queued messages must not be negative");
        }
        this.maxQueuedMessages = max;
        return this;
    }

    /** Adds a listener for every message the client receives. */
    public MastClientBuilder onMessage(MessageListener listener) {
        messageListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Adds a listener for connections and disconnections. */
    public MastClientBuilder connectionListener(ConnectionListener listener) {
        connectionListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Sees every packet, synchronously on the I/O thread (for tracing). */
    public MastClientBuilder packetListener(PacketListener listener) {
        this.packetListener = listener;
        return this;
    }

    /**
     * Runs message and connection listeners on this executor instead of the I/O thread (use a single-threaded one to
     * keep their order). Acknowledgements of QoS 1 and 2 messages are sent after the listener returns.
     */
    public MastClientBuilder callbackExecutor(Executor executor) {
        this.callbackExecutor = executor;
        return this;
    }

    /**
     * The I/O threads to use, for example one group of a few threads shared by thousands of clients (see
     * {@link MastClient#newEventLoopGroup(int)}). By default clients share one JVM-wide group of daemon threads.
     */
    public MastClientBuilder eventLoopGroup(EventLoopGroup group) {
        this.eventLoopGroup = group;
        return this;
    }

    /**
     * Declares a client plugin with its options (bound strictly to its nested {@code Config}); plugins are called in
     * the order declared. A wrong option fails {@link #build()} with a {@link ClientConfigException} naming it.
     */
    public MastClientBuilder plugin(Class<? extends ClientPlugin> type, Map<String, ?> options) {
        plugins.add(new PluginDeclaration(type.getName(), type, ClientPlugins.tree(options), null, Map.of()));
        return this;
    }

    /** Declares a client plugin by class name (loaded from the class path) with its options. */
    public MastClientBuilder plugin(String className, Map<String, ?> options) {
        plugins.add(new PluginDeclaration(className, null, ClientPlugins.tree(options), null, Map.of()));
        return this;
    }

    /**
     * Reads the client's YAML config, which declares plugins:
     * <pre>{@code
     * plugins:
     *   io.mast.client.plugins.PacketLoggerPlugin:
     *     level: debug
     * }</pre>
     *
     * @throws ClientConfigException with the file, line, key and problem when the file is wrong
     */
    public MastClientBuilder config(Path yaml) {
        plugins.addAll(ClientConfigLoader.load(yaml));
        return this;
    }

    /**
     * Builds the client (not yet connected). Loads the plugins and the TLS certificates.
     *
     * @throws ClientConfigException when a plugin or its options are wrong
     * @throws IllegalArgumentException when the TLS files cannot be read
     */
    public MastClient build() {
        String id = clientId != null ? clientId : "mast-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        int p = port != null ? port : websocketPath != null ? (tls != null ? 443 : 80) : tls != null ? 8883 : 1883;
        if (version == MqttVersion.MQTT_3_1 && (id.isEmpty() || id.length() > 23)) {
            throw new IllegalArgumentException("MQTT 3.1 needs a client identifier of 1 to 23 characters, was \"" + id
                    + "\"");
        }
        if (!version.isV5() && id.isEmpty() && !cleanStart) {
            throw new IllegalArgumentException("MQTT 3.1.1 needs a client identifier when the session is not clean");
        }
        ClientOptions options = new ClientOptions(host, p, tls, websocketPath, id, version, cleanStart, keepAliveSeconds,
                username, password, will, sessionExpirySeconds, receiveMaximum, maximumPacketSize, topicAliasMaximum,
                outgoingTopicAliases, connectProperties.build(), enhancedAuth, connectTimeout, reconnectInitialDelay,
                reconnectMaxDelay, resubscribe, maxQueuedMessages, List.copyOf(messageListeners),
                List.copyOf(connectionListeners), packetListener, callbackExecutor, eventLoopGroup, localAddress, unixSocket,
                maxInflight);
        SslContext ssl = tls == null ? null : sslContext(tls);
        ClientCore[] core = new ClientCore[1];
        ClientPlugins loaded = ClientPlugins.load(plugins, () -> core[0] == null ? id : core[0].clientId());
        core[0] = new ClientCore(options, ssl, loaded);
        return new MastClient(core[0]);
    }

    static SslContext sslContext(TlsOptions t) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (t.trustAll()) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (t.caFile() != null) {
                b.trustManager(t.caFile().toFile());
            } else if (t.caPath() != null) {
                b.trustManager(TlsOptions.certificatesIn(t.caPath()));
            }
            if (t.protocols() != null) {
                b.protocols(t.protocols());
            }
            b.endpointIdentificationAlgorithm(t.verifyHostname() && !t.trustAll() ? "HTTPS" : null);
            if (t.certFile() != null) {
                b.keyManager(t.certFile().toFile(), t.keyFile().toFile());
            }
            return b.build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + ClientConnection.message(e), e);
        }
    }
}
