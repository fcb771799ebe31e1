package io.mast.broker.config;

import io.mast.broker.tls.TlsSettings;
import io.mast.broker.tls.ClientCert;
import io.mast.broker.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One listener: a transport on an address and port, with its own connection limit and, optionally, its own protocol
 * limits (which override the broker-wide {@code limits:} for clients of this listener).
 *
 * <p>The TLS files of a {@code tls} or {@code wss} listener are read and checked when the config is made, so a
 * missing, unreadable or broken file is a config error naming the key.
 *
 * @param name                   a name for logs and metrics (default: type and port, {@code tls/8883})
 * @param type                   {@code tcp} (default), {@code tls} (MQTT over TLS), {@code ws} (MQTT over WebSocket)
 *                               or {@code wss} (MQTT over WebSocket over TLS)
 * @param bind                   the address to bind (default 127.0.0.1)
 * @param port                   the port; 0 picks a free one. Default 1883 (tcp), 8883 (tls), 8080 (ws), 8443 (wss)
 * @param maxConnections         connections this listener accepts at once, -1 unlimited (default)
 * @param maxPacketSize          overrides {@code limits.max_packet_size} on this listener, or {@code null}
 * @param maxKeepalive           overrides {@code limits.max_keepalive} on this listener, or {@code null}
 * @param receiveMaximum         overrides {@code limits.receive_maximum} on this listener, or {@code null}
 * @param connectTimeout         overrides {@code limits.connect_timeout} on this listener (it also bounds the TLS and
 *                               WebSocket handshakes), or {@code null}
 * @param path                   ws/wss: the HTTP path of the WebSocket endpoint (default {@code /mqtt}); other paths
 *                               get 404
 * @param allowedOrigins         ws/wss: the browser origins ({@code https://app.example.com}) allowed to connect;
 *                               {@code null} or {@code ["*"]} allows every origin. A request without an Origin header
 *                               (not from a browser) is always allowed
 * @param certFile               tls/wss: the server certificate chain, PEM, leaf first
 * @param keyFile                tls/wss: the private key of {@code certFile}, PEM (PKCS#8, PKCS#1 RSA or SEC1 EC)
 * @param keyPassword            tls/wss: the password of an encrypted PKCS#8 key file
 * @param caFile                 tls/wss: CA certificates (PEM) that client certificates must be signed by
 * @param keystore               tls/wss: a PKCS#12 keystore with the key and certificate chain, instead of
 *                               {@code certFile} and {@code keyFile}
 * @param keystorePassword       tls/wss: the password of {@code keystore} and of its key
 * @param clientCert             tls/wss: {@code none} (default), {@code optional} or {@code required} client
 *                               certificates; the last two need {@code caFile}
 * @param tlsVersions            tls/wss: the TLS versions allowed ({@code TLSv1.2}, {@code TLSv1.3}); default both
 * @param ciphers                tls/wss: the cipher suites allowed, by their JDK names; default the JDK's
 * @param useIdentityAsUsername  tls/wss: the Common Name of the client's certificate is its user name, whatever the
 *                               client sent (as Mosquitto's option); a client without a certificate is refused.
 *                               Needs {@code clientCert} optional or required
 * @param reloadInterval         tls/wss: how often the certificate files are checked for changes (default 10s);
 *                               {@code never} turns hot reloading off
 */
public record ListenerConfig(String name, String type, String bind, Integer port, Integer maxConnections,
                             Integer maxPacketSize, Integer maxKeepalive, Integer receiveMaximum,
                             Duration connectTimeout, String path, List<String> allowedOrigins, String certFile,
                             String keyFile, String keyPassword, String caFile, String keystore,
                             String keystorePassword, ClientCert clientCert, List<String> tlsVersions,
                             List<String> ciphers, Boolean useIdentityAsUsername, Duration reloadInterval) {

    /** The transports a listener can have. */
    public static final Set<String> TYPES = Set.of("tcp", "tls", "ws", "wss");

    /** The default WebSocket path. */
    public static final String DEFAULT_PATH = "/mqtt";

    /** The default interval of the certificate files' check for changes. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

    public ListenerConfig {
        type = Check.nonEmpty("type", type, "tcp").toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("type: expected tcp, tls, ws or wss, got " + type);
        }
        bind = Check.nonEmpty("bind", bind, "127.0.0.1");
        port = Check.range("port", port, defaultPort(type), 0, 65535);
        maxConnections = Check.limitOrUnlimited("max_connections", maxConnections, -1);
        if (maxPacketSize != null) {
            Check.range("max_packet_size", maxPacketSize, 0, 16, LimitsConfig.PROTOCOL_MAX_PACKET_SIZE);
        }
        if (maxKeepalive != null) {
            Check.range("max_keepalive", maxKeepalive, 0, 1, 65535);
        }
        if (receiveMaximum != null) {
            Check.range("receive_maximum", receiveMaximum, 0, 1, 65535);
        }
        if (connectTimeout != null) {
            Check.positive("connect_timeout", connectTimeout, null);
        }
        name = name == null ? type + "/" + port : name;

        boolean websocket = type.equals("ws") || type.equals("wss");
        boolean tls = type.equals("tls") || type.equals("wss");
        if (!websocket) {
            onlyFor(type, "path", path, "ws and wss");
            onlyFor(type, "allowed_origins", allowedOrigins, "ws and wss");
        } else {
            path = Check.nonEmpty("path", path, DEFAULT_PATH);
            if (!path.startsWith("/") || path.contains("?") || path.contains("#")) {
                throw new IllegalArgumentException("path: expected an HTTP path starting with /, such as /mqtt, got "
                        + path);
            }
            allowedOrigins = allowedOrigins == null ? null : origins(allowedOrigins);
        }
        if (!tls) {
            for (var e : new Object[][] {{"cert_file", certFile}, {"key_file", keyFile}, {"key_password", keyPassword},
                    {"ca_file", caFile}, {"keystore", keystore}, {"keystore_password", keystorePassword},
                    {"client_cert", clientCert}, {"tls_versions", tlsVersions}, {"ciphers", ciphers},
                    {"use_identity_as_username", Boolean.TRUE.equals(useIdentityAsUsername) ? true : null},
                    {"reload_interval", reloadInterval}}) {
                onlyFor(type, (String) e[0], e[1], "tls and wss");
            }
            useIdentityAsUsername = false;
        } else {
            clientCert = clientCert == null ? ClientCert.NONE : clientCert;
            useIdentityAsUsername = useIdentityAsUsername != null && useIdentityAsUsername;
            reloadInterval = Check.positive("reload_interval", reloadInterval, DEFAULT_RELOAD_INTERVAL);
            tlsVersions = tlsVersions == null ? null : tlsVersions(tlsVersions);
            ciphers = ciphers == null ? null : List.copyOf(ciphers);
            checkTlsKeys(certFile, keyFile, keyPassword, caFile, keystore, keystorePassword, clientCert,
                    useIdentityAsUsername);
            // Reads and checks the files now, so that a bad one is an error at startup naming its key.
            TlsFiles.load(new TlsSettings(path(certFile), path(keyFile), keyPassword, path(caFile), path(keystore),
                    keystorePassword, clientCert, tlsVersions, ciphers, reloadInterval));
        }
    }

    private static int defaultPort(String type) {
        return switch (type) {
            case "tls" -> 8883;
            case "ws" -> 8080;
            case "wss" -> 8443;
            default -> 1883;
        };
    }

    private static void onlyFor(String type, String key, Object value, String types) {
        if (value != null) {
            throw new IllegalArgumentException(key + ": only " + types + " listeners take this key; this listener is "
                    + type);
        }
    }

    private static void checkTlsKeys(String certFile, String keyFile, String keyPassword, String caFile,
                                     String keystore, String keystorePassword, ClientCert clientCert,
                                     boolean useIdentityAsUsername) {
        if (keystore != null) {
            if (certFile != null || keyFile != null) {
                throw new IllegalArgumentException((certFile != null ? "cert_file" : "key_file")
                        + ": expected either keystore or cert_file and key_file, not both");
            }
            if (keyPassword != null) {
                throw new IllegalArgumentException("key_password: only for key_file; a keystore's key has the "
                        + "keystore_password");
            }
        } else {
            if (certFile == null) {
                throw new IllegalArgumentException("cert_file: expected the server certificate (cert_file and "
                        + "key_file, PEM) or a PKCS#12 keystore (keystore and keystore_password) for a TLS listener");
            }
            if (keyFile == null) {
                throw new IllegalArgumentException("key_file: expected the private key (PEM) of cert_file");
            }
            if (keystorePassword != null) {
                throw new IllegalArgumentException("keystore_password: only for keystore");
            }
        }
        if (clientCert != ClientCert.NONE && caFile == null) {
            throw new IllegalArgumentException("ca_file: expected the CA certificates (PEM) that sign client "
                    + "certificates, for client_cert: " + clientCert.name().toLowerCase(Locale.ROOT));
        }
        if (useIdentityAsUsername && clientCert == ClientCert.NONE) {
            throw new IllegalArgumentException("use_identity_as_username: needs client_cert: required (or optional)");
        }
    }

    private static List<String> tlsVersions(List<String> given) {
        if (given.isEmpty()) {
            throw new IllegalArgumentException("tls_versions: expected TLSv1.2 and/or TLSv1.3, got an empty list");
        }
        List<String> out = new ArrayList<>();
        for (String v : given) {
            String n = v == null ? "" : v.trim().toLowerCase(Locale.ROOT);
            String version = switch (n) {
                case "tlsv1.2", "tls1.2", "1.2" -> "TLSv1.2";
                case "tlsv1.3", "tls1.3", "1.3" -> "TLSv1.3";
                default -> throw new IllegalArgumentException("tls_versions: expected TLSv1.2 and/or TLSv1.3, got " + v);
            };
            if (!out.contains(version)) {
                out.add(version);
            }
        }
        return List.copyOf(out);
    }

    private static List<String> origins(List<String> given) {
        List<String> out = new ArrayList<>();
        for (String o : given) {
            if (o == null || o.isBlank()) {
                throw new IllegalArgumentException("allowed_origins: expected origins such as https://app.example.com"
                        + " (or *), got an empty entry");
            }
            String t = o.trim();
            out.add(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
        }
        return List.copyOf(out);
    }

    private static Path path(String file) {
        return file == null ? null : Path.of(file);
    }

    /** A TCP listener on an address and port. */
    public static ListenerConfig tcp(String bind, int port) {
        return builder("tcp").bind(bind).port(port).build();
    }

    /** A builder for a listener of a type ({@code tcp}, {@code tls}, {@code ws}, {@code wss}). */
    public static Builder builder(String type) {
        return new Builder().type(type);
    }

    /** A builder holding this listener's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.type = type;
        b.bind = bind;
        b.port = port;
        b.maxConnections = maxConnections;
        b.maxPacketSize = maxPacketSize;
        b.maxKeepalive = maxKeepalive;
        b.receiveMaximum = receiveMaximum;
        b.connectTimeout = connectTimeout;
        b.path = path;
        b.allowedOrigins = allowedOrigins;
        b.certFile = certFile;
        b.keyFile = keyFile;
        b.keyPassword = keyPassword;
        b.caFile = caFile;
        b.keystore = keystore;
        b.keystorePassword = keystorePassword;
        b.clientCert = clientCert;
        b.tlsVersions = tlsVersions;
        b.ciphers = ciphers;
        b.useIdentityAsUsername = useIdentityAsUsername;
        b.reloadInterval = reloadInterval;
        return b;
    }

    /** This listener on another address and port (its name follows the port unless it was given). */
    public ListenerConfig withAddress(String newBind, int newPort) {
        Builder b = toBuilder().bind(newBind).port(newPort);
        if (name.equals(type + "/" + port)) {
            b.name(null);
        }
        return b.build();
    }

    /** True for {@code tls} and {@code wss}. */
    public boolean isTls() {
        return type.equals("tls") || type.equals("wss");
    }

    /** The TLS settings of a {@code tls} or {@code wss} listener, or {@code null}. */
    public TlsSettings tls() {
        if (!isTls()) {
            return null;
        }
        return new TlsSettings(path(certFile), path(keyFile), keyPassword, path(caFile), path(keystore),
                keystorePassword, clientCert, tlsVersions, ciphers, reloadInterval);
    }

    /** The limits for clients of this listener: the broker's, with this listener's overrides. */
    public LimitsConfig limits(LimitsConfig broker) {
        if (maxPacketSize == null && maxKeepalive == null && receiveMaximum == null && connectTimeout == null) {
            return broker;
        }
        return broker.overriddenBy(maxPacketSize, maxKeepalive, receiveMaximum, connectTimeout);
    }

    /** Builds a {@link ListenerConfig}; what is left unset takes its default. */
    public static final class Builder {
        private String name;
        private String type;
        private String bind;
        private Integer port;
        private Integer maxConnections;
        private Integer maxPacketSize;
        private Integer maxKeepalive;
        private Integer receiveMaximum;
        private Duration connectTimeout;
        private String path;
        private List<String> allowedOrigins;
        private String certFile;
        private String keyFile;
        private String keyPassword;
        private String caFile;
        private String keystore;
        private String keystorePassword;
        private ClientCert clientCert;
        private List<String> tlsVersions;
        private List<String> ciphers;
        private Boolean useIdentityAsUsername;
        private Duration reloadInterval;

        private Builder() {
        }

        /** {@code name}: the name in logs, metrics and {@code ClientInfo.listener()}. */
        public Builder name(String v) {
            name = v;
            return this;
        }

        /** {@code type}: {@code tcp}, {@code tls}, {@code ws} or {@code wss}. */
        public Builder type(String v) {
            type = v;
            return this;
        }

        /** {@code bind}: the address to listen on. */
        public Builder bind(String v) {
            bind = v;
            return this;
        }

        /** {@code port}: the port, 0 for a free one. */
        public Builder port(int v) {
            port = v;
            return this;
        }

        /** {@code max_connections}: connections held at once, -1 unlimited. */
        public Builder maxConnections(int v) {
            maxConnections = v;
            return this;
        }

        /** {@code max_packet_size}: overrides the broker's for this listener. */
        public Builder maxPacketSize(int v) {
            maxPacketSize = v;
            return this;
        }

        /** {@code max_keepalive}: overrides the broker's for this listener. */
        public Builder maxKeepalive(int v) {
            maxKeepalive = v;
            return this;
        }

        /** {@code receive_maximum}: overrides the broker's for this listener. */
        public Builder receiveMaximum(int v) {
            receiveMaximum = v;
            return this;
        }

        /** {@code connect_timeout}: overrides the broker's for this listener (and bounds the handshakes). */
        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        /** {@code path}: the WebSocket endpoint ({@code ws}, {@code wss}). */
        public Builder path(String v) {
            path = v;
            return this;
        }

        /** {@code allowed_origins}: the browser origins allowed ({@code ws}, {@code wss}). */
        public Builder allowedOrigins(List<String> v) {
            allowedOrigins = v;
            return this;
        }

        /** {@code cert_file} and {@code key_file}: the PEM server certificate chain and its private key. */
        public Builder certificate(Path cert, Path key) {
            certFile = cert == null ? null : cert.toString();
            keyFile = key == null ? null : key.toString();
            return this;
        }

        /** {@code key_password}: the password of an encrypted PKCS#8 key file. */
        public Builder keyPassword(String v) {
            keyPassword = v;
            return this;
        }

        /** {@code ca_file}: the CA certificates client certificates must be signed by. */
        public Builder caFile(Path v) {
            caFile = v == null ? null : v.toString();
            return this;
        }

        /** {@code keystore} and {@code keystore_password}: a PKCS#12 keystore instead of PEM files. */
        public Builder keystore(Path file, String password) {
            keystore = file == null ? null : file.toString();
            keystorePassword = password;
            return this;
        }

        /** {@code client_cert}: whether clients are asked for a certificate. */
        public Builder clientCert(ClientCert v) {
            clientCert = v;
            return this;
        }

        /** {@code tls_versions}: the TLS versions allowed. */
        public Builder tlsVersions(List<String> v) {
            tlsVersions = v;
            return this;
        }

        /** {@code ciphers}: the cipher suites allowed (JDK names). */
        public Builder ciphers(List<String> v) {
            ciphers = v;
            return this;
        }

        /** {@code use_identity_as_username}: the certificate's CN becomes the user name. */
        public Builder useIdentityAsUsername(boolean v) {
            useIdentityAsUsername = v;
            return this;
        }

        /** {@code reload_interval}: how often the TLS files are checked for changes. */
        public Builder reloadInterval(Duration v) {
            reloadInterval = v;
            return this;
        }

        /**
         * The listener.
         *
         * @throws IllegalArgumentException naming the key when a setting is invalid or a TLS file cannot be used
         */
        public ListenerConfig build() {
            return new ListenerConfig(name, type, bind, port, maxConnections, maxPacketSize, maxKeepalive,
                    receiveMaximum, connectTimeout, path, allowedOrigins, certFile, keyFile, keyPassword, caFile,
                    keystore, keystorePassword, clientCert, tlsVersions, ciphers, useIdentityAsUsername,
                    reloadInterval);
        }
    }
}
