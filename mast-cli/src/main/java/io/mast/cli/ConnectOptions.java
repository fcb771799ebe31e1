package io.mast.cli;

import io.mast.client.ConnectionRefusedException;
import io.mast.client.MastClientBuilder;
import io.mast.client.MqttMessage;
import io.mast.client.ServerUri;
import io.mast.client.TlsOptions;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.plugin.TopicFilters;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Stack;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The connection options {@code mast pub} and {@code mast sub} share, spelled and meant as in Mosquitto's
 * {@code mosquitto_pub}/{@code mosquitto_sub} 2.0 (a picocli mixin, as HiveMQ's mqtt-cli shares its options).
 */
final class ConnectOptions {

    @Option(names = "-h", paramLabel = "HOST", description = "Broker host (default localhost).")
    String host;

    @Option(names = "-p", paramLabel = "PORT", description = "Broker port (default 1883, 8883 with TLS).")
    Integer port;

    @Option(names = {"-L", "--url"}, paramLabel = "URL",
            description = "mqtt(s)://[user[:password]@]host[:port]/topic (also ws:// and wss://host:port/path).")
    String url;

    @Option(names = "-i", paramLabel = "ID", description = "Client identifier (default: assigned by the broker).")
    String id;

    @Option(names = "-I", paramLabel = "PREFIX", description = "Client identifier: PREFIX followed by the process id.")
    String idPrefix;

    @Option(names = "-A", paramLabel = "ADDRESS", description = "Connect from this local address (an interface's).")
    String bindAddress;

    @Option(names = "--unix", paramLabel = "PATH", description = "Connect through a Unix domain socket instead of TCP.")
    Path unixSocket;

    @Option(names = "--nodelay", description = "Disable Nagle's algorithm (always off in mast: TCP_NODELAY is set).")
    boolean nodelay;

    @Option(names = "-u", paramLabel = "USER", description = "User name.")
    String username;

    @Option(names = "-P", paramLabel = "PASSWORD", description = "Password.")
    String password;

    @Option(names = "-k", paramLabel = "SECONDS", description = "Keep-alive in seconds (default 60).")
    int keepAlive = 60;

    @Option(names = {"-q", "--qos"}, paramLabel = "QOS", description = "Quality of service: 0 (default), 1 or 2.")
    int qos;

    @Option(names = {"-c", "--disable-clean-session"},
            description = "Persistent session: the broker keeps it (and what it queues) while disconnected.")
    boolean persistent;

    @Option(names = "-V", paramLabel = "VERSION",
            description = "Protocol version: mqttv5 (5), mqttv311 (311, default) or mqttv31 (31).")
    String version = "mqttv311";

    @Option(names = "-x", paramLabel = "SECONDS",
            description = "MQTT 5.0 session expiry interval; -1 or 4294967295 for never (default -1 with -c, else 0).")
    String sessionExpiry;

    @Option(names = {"-D", "--property"}, arity = "3..4", paramLabel = "COMMAND PROPERTY VALUE",
            parameterConsumer = PropertyConsumer.class,
            description = "MQTT 5.0 property, e.g. -D publish content-type text/plain, -D connect user-property key value.")
    List<String> properties = new ArrayList<>();

    @Option(names = "-d", description = "Print every packet sent and received.")
    boolean debug;

    @Option(names = "--quiet", description = "Do not print error messages.")
    boolean quiet;

    @Option(names = "--will-topic", paramLabel = "TOPIC", description = "Topic of the will.")
    String willTopic;

    @Option(names = "--will-payload", paramLabel = "PAYLOAD", description = "Payload of the will (default empty).")
    String willPayload;

    @Option(names = "--will-qos", paramLabel = "QOS", description = "QoS of the will.")
    int willQos;

    @Option(names = "--will-retain", description = "Retain the will.")
    boolean willRetain;

    @Option(names = "--cafile", paramLabel = "FILE", description = "PEM file of trusted CA certificates: enables TLS.")
    Path cafile;

    @Option(names = "--cert", paramLabel = "FILE", description = "PEM client certificate, for brokers that require one.")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "PEM private key (PKCS#8) of the client certificate.")
    Path key;

    @Option(names = "--capath", paramLabel = "DIR", description = "Folder of PEM CA certificates to trust: enables TLS.")
    Path capath;

    @Option(names = "--tls-version", paramLabel = "VERSION", description = "TLS version: tlsv1.3, tlsv1.2 or tlsv1.1.")
    String tlsVersion;

    @Option(names = "--insecure", description = "Do not check that the server certificate names the host.")
    boolean insecure;

    @Option(names = "--help", usageHelp = true, description = "Show this help.")
    boolean help;

    /** Collects {@code -D command property value [value]}: three values, four for user-property. */
    static final class PropertyConsumer implements picocli.CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            List<String> taken = new ArrayList<>();
            for (int i = 0; i < 2 && !args.isEmpty(); i++) {
                taken.add(args.pop());
            }
            int more = taken.size() == 2 ? V5Properties.valueCount(taken.get(1)) : 0;
            for (int i = 0; i < more && !args.isEmpty(); i++) {
                taken.add(args.pop());
            }
            if (taken.size() < 3) {
                throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(),
                        "-D needs a command, a property and a value, e.g. -D publish content-type text/plain");
            }
            List<String> list = argSpec.getValue();
            list.add(String.join("\u0000", taken));
        }
    }

    /** What the options say, checked; the topic of {@code --url} if it has one. */
    record Settings(MastClientBuilder builder, MqttVersion version, Qos qos, V5Properties properties, String urlTopic,
                    DebugPrinter debug) {
    }

    /**
     * Checks the options and prepares a client builder.
     *
     * @throws UsageException as Mosquitto's clients word it
     */
    Settings settings(PrintStream out) {
        MqttVersion v = switch (version.toLowerCase(Locale.ROOT)) {
            case "mqttv5", "5" -> MqttVersion.MQTT_5;
            case "mqttv311", "311" -> MqttVersion.MQTT_3_1_1;
            case "mqttv31", "31" -> MqttVersion.MQTT_3_1;
            default -> throw new UsageException("Invalid protocol version argument given.");
        };
        Qos q = qos(qos, "QoS");
        V5Properties props = new V5Properties();
        for (String p : properties) {
            props.add(List.of(p.split("\u0000", -1)));
        }
        if (!props.isEmpty() && !v.isV5()) {
            throw new UsageException("--property argument given but protocol version is not v5 or higher.");
        }
        if (keepAlive != 0 && (keepAlive < 5 || keepAlive > 65_535)) {
            throw new UsageException("Invalid keepalive given, it must be between 5 and 65535 inclusive.");
        }
        if (id != null && idPrefix != null) {
            throw new UsageException("-i and -I argument cannot be used together.");
        }
        if (idPrefix != null) {
            id = idPrefix + ProcessHandle.current().pid();
        } else if (id == null && v == MqttVersion.MQTT_3_1) {
            id = "mast-" + ProcessHandle.current().pid(); // MQTT 3.1 has no identifiers assigned by the broker
        }
        if (persistent && (id == null || id.isEmpty())) {
            throw new UsageException("You must provide a client id if you are using the -c option.");
        }
        MastClientBuilder b = io.mast.client.MastClient.builder().version(v).keepAlive(Duration.ofSeconds(keepAlive))
                .cleanStart(!persistent).clientId(id == null ? "" : id);
        String urlTopic = null;
        if (cafile != null && capath != null) {
            throw new UsageException("Only one of --cafile and --capath may be given.");
        }
        boolean tls = cafile != null || capath != null || cert != null;
        if (url != null) {
            ServerUri u;
            try {
                u = ServerUri.parse(url);
            } catch (IllegalArgumentException e) {
                throw new UsageException("Unable to parse URL: " + e.getMessage() + ".");
            }
            b.uri(u);
            tls |= u.tls();
            if (!u.websocket() && !u.path().isEmpty()) {
                urlTopic = u.path();
            } else if (u.websocket() && u.path().isEmpty()) {
                b.websocket("/mqtt");
            }
        }
        if (host != null) {
            b.host(host);
        } else if (url == null) {
            b.host("localhost");
        }
        if (port != null) {
            if (port < 1 || port > 65_535) {
                throw new UsageException("Invalid port given: " + port);
            }
            b.port(port);
        } else if (url == null) {
            b.port(tls ? 8883 : 1883);
        }
        if (username != null || password != null) {
            b.credentials(username, password);
        }
        if (bindAddress != null) {
            b.localAddress(bindAddress);
        }
        if (unixSocket != null) {
            b.unixSocket(unixSocket);
        }
        if ((cert == null) != (key == null)) {
            throw new UsageException("Both certfile and keyfile must be provided if one of them is set.");
        }
        tlsUsed = tls;
        if (tls) {
            TlsOptions t = cafile != null ? TlsOptions.caFile(cafile)
                    : capath != null ? TlsOptions.caPath(capath) : TlsOptions.system();
            if (tlsVersion != null) {
                t = t.withProtocols(List.of(switch (tlsVersion.toLowerCase(Locale.ROOT)) {
                    case "tlsv1.3" -> "TLSv1.3";
                    case "tlsv1.2" -> "TLSv1.2";
                    case "tlsv1.1" -> "TLSv1.1";
                    default -> throw new UsageException("Unsupported TLS version '" + tlsVersion
                            + "': use tlsv1.3, tlsv1.2 or tlsv1.1.");
                }));
            }
            if (cert != null) {
                t = t.withClientCertificate(cert, key);
            }
            if (insecure) {
                t = t.withoutHostnameVerification();
            }
            b.tls(t);
        }
        long expiry = persistent ? 0xFFFF_FFFFL : 0;
        if (sessionExpiry != null) {
            if (!v.isV5()) {
                throw new UsageException("--session-expiry-interval argument given but protocol version is not v5 or higher.");
            }
            expiry = switch (sessionExpiry) {
                case "-1", "∞" -> 0xFFFF_FFFFL;
                default -> {
                    try {
                        long e = Long.parseLong(sessionExpiry);
                        if (e < 0 || e > 0xFFFF_FFFFL) {
                            throw new NumberFormatException();
                        }
                        yield e;
                    } catch (NumberFormatException e) {
                        throw new UsageException("Invalid session-expiry-interval '" + sessionExpiry + "'.");
                    }
                }
            };
        }
        MqttProperties connect = props.of("connect");
        if (connect.sessionExpiryInterval() != null) {
            expiry = connect.sessionExpiryInterval();
        }
        if (v.isV5()) {
            b.sessionExpiry(expiry);
        }
        if (connect.receiveMaximum() != null) {
            b.receiveMaximum(connect.receiveMaximum());
        }
        if (connect.maximumPacketSize() != null) {
            b.maximumPacketSize((int) Math.min(Integer.MAX_VALUE, connect.maximumPacketSize()));
        }
        if (connect.topicAliasMaximum() != null) {
            b.topicAliasMaximum(connect.topicAliasMaximum());
        }
        b.connectProperties(connect);
        if (willPayload != null && willTopic == null) {
            throw new UsageException("Will payload given, but no will topic given.");
        }
        if (willTopic != null) {
            if (!TopicFilters.isTopicName(willTopic)) {
                throw new UsageException("Invalid will topic '" + willTopic + "', does it contain '+' or '#'?");
            }
            b.will(MqttMessage.builder(willTopic)
                    .payload(willPayload == null ? new byte[0] : willPayload.getBytes(StandardCharsets.UTF_8))
                    .qos(qos(willQos, "will QoS")).retain(willRetain).properties(props.of("will")).build());
        }
        DebugPrinter printer = null;
        if (debug) {
            String given = id;
            printer = new DebugPrinter(out, () -> given);
            b.packetListener(printer);
        }
        return new Settings(b, v, q, props, urlTopic, printer);
    }

    private static Qos qos(int level, String what) {
        Qos q = Qos.ofLevel(level);
        if (q == null) {
            throw new UsageException("Invalid " + what + " given: " + level + " (it must be 0, 1 or 2).");
        }
        return q;
    }

    /**
     * Prints why a connection failed, as Mosquitto's clients do, and returns their exit code: the CONNACK return
     * code (3.1.1) or reason code (5.0) when the broker refused, 1 otherwise.
     */
    int reportConnectFailure(Throwable failure, PrintStream err) {
        Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (t instanceof ConnectionRefusedException r) {
            if (!quiet) {
                err.println("Connection error: " + connackText(r));
            }
            return r.returnCode();
        }
        if (tlsFailure(t) || (tlsUsed && !(t instanceof ConnectionRefusedException) && !networkRefused(t))) {
            if (publisher && certificateProblem(t)) {
                // mosquitto_pub checks the certificate within its blocking connect, and says so
                if (!quiet) {
                    err.println("Unable to connect (A TLS error occurred.).");
                }
                return 1;
            }
            if (!quiet) {
                err.println("Error: A TLS error occurred.");
            }
            return TLS_ERROR;
        }
        if (!quiet) {
            err.println("Error: " + networkText(t));
        }
        return 1;
    }

    /** Mosquitto's exit code for a failed TLS handshake (MOSQ_ERR_TLS). */
    static final int TLS_ERROR = 8;

    /** {@code mast pub}: reports a refused certificate as mosquitto_pub does (set by the command). */
    boolean publisher;

    /** Whether the server's certificate was not trusted (rather than no TLS at all on the other side). */
    private static boolean certificateProblem(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.security.cert.CertificateException
                    || c instanceof java.security.cert.CertPathBuilderException
                    || c instanceof java.security.cert.CertPathValidatorException
                    || (c.getMessage() != null && c.getMessage().contains("PKIX"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the options asked for TLS (set by {@link #settings}). */
    private boolean tlsUsed;

    /**
     * Whether the connection itself failed (refused, unknown host, timed out): over TLS anything else before CONNACK
     * (a reset, a close, an alert) is a failed handshake, as OpenSSL reports it to Mosquitto.
     */
    private static boolean networkRefused(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException
                    || c instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return t.getMessage() != null && t.getMessage().contains("no CONNACK");
    }

    static boolean tlsFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    static String connackText(ConnectionRefusedException r) {
        if (r.version().isV5()) {
            String words = r.reasonCode().describe().substring(5);
            return words + (r.properties().reasonString() == null ? "" : " (" + r.properties().reasonString() + ")");
        }
        return switch (r.returnCode()) {
            case 1 -> "Connection Refused: unacceptable protocol version.";
            case 2 -> "Connection Refused: identifier rejected.";
            case 3 -> "Connection Refused: broker unavailable.";
            case 4 -> "Connection Refused: bad user name or password.";
            case 5 -> "Connection Refused: not authorised.";
            default -> "Connection Refused: unknown reason.";
        };
    }

    static String networkText(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return "Connection refused";
            }
            if (c instanceof UnknownHostException) {
                return "Unable to connect (Lookup error: " + c.getMessage() + ").";
            }
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** The words of a failed PUBACK/PUBREC/SUBACK reason, as Mosquitto prints them. */
    static String reasonText(ReasonCode rc) {
        return rc.describe().substring(5);
    }
}
