package io.mast.broker.connection;

import io.mast.broker.client.ClientCertificate;
import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.config.LimitsConfig;
import io.mast.broker.config.SessionConfig;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.policy.Policy.AuthResult;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Auth;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Will;
import io.mast.plugin.support.Durations;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECT: checks the client identifier and keep-alive against the limits, settles the session expiry and will,
 * asks the policy, then opens (or resumes) the session and answers CONNACK.
 */
final class ConnectHandler {

    private static final Logger log = LoggerFactory.getLogger(ConnectHandler.class);

    private final ConnectionServices core;
    private final Logins logins;

    ConnectHandler(ConnectionServices core) {
        this.core = core;
        this.logins = new Logins(core.config().logins(), core.metrics());
    }

    /** What the CONNACK will tell the client besides the outcome. */
    private record Granted(String assignedClientId, Integer serverKeepAlive, Long sessionExpiry, long expirySeconds) {
    }

    CompletionStage<?> handle(Connection c, Connect connect) {
        MqttVersion v = connect.version();
        LimitsConfig limits = c.limits();

        String clientId = connect.clientId();
        InetAddress address = ((InetSocketAddress) c.channel().remoteAddress()).getAddress();
        if (logins.isBanned(address, clientId)) {
            core.metrics().connectsBanned.increment();
            return refuse(c, connect, ReasonCode.BANNED, "banned for a while after repeated failed logins");
        }
        String assigned = null;
        if (clientId.isEmpty()) {
            if (v == MqttVersion.MQTT_3_1 || (v == MqttVersion.MQTT_3_1_1 && !connect.cleanStart())) {
                // MQTT-3.1.3-8: a zero-length identifier needs Clean Session 1.
                return refuse(c, connect, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                        "an empty client identifier needs clean session");
            }
            clientId = "mast-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
            assigned = v.isV5() ? clientId : null;
        }

        int keepAlive = connect.keepAlive();
        Integer serverKeepAlive = null;
        if (keepAlive > limits.maxKeepalive() || (keepAlive == 0 && limits.maxKeepalive() < 65535 && v.isV5())) {
            if (!v.isV5()) {
                // 3.1.1 has no way to tell the client another value; refused as Mosquitto does.
                return refuse(c, connect, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                        "keep alive " + keepAlive + " exceeds the maximum of " + limits.maxKeepalive());
            }
            keepAlive = limits.maxKeepalive();
            serverKeepAlive = keepAlive;
        }

        MqttProperties props = connect.properties();

        Granted granted = expiry(connect, assigned, serverKeepAlive);
        BrokerMessage will = null;
        long willDelay = 0;
        Will w = connect.will();
        long now = System.currentTimeMillis();
        if (w != null) {
            Long expiry = w.properties().messageExpiryInterval();
            // The Will Delay Interval is for the broker: it is not a PUBLISH property (MQTT 5.0 section 2.2.2.2).
            MqttProperties willProps = w.properties().willDelayInterval() == null ? w.properties()
                    : w.properties().toBuilder().willDelayInterval(null).build();
            // The expiry interval is kept as expiresAt - createdAt; it counts from when the will is published.
            will = new BrokerMessage(w.topic(), w.payload(), w.qos(), w.retain(), willProps, clientId, now,
                    expiry == null ? 0 : now + expiry * 1000);
            Long delay = w.properties().willDelayInterval();
            willDelay = delay == null ? 0 : delay;
        }

        ClientCertificate certificate = clientCertificate(c.channel());
        String username = connect.username();
        if (c.listener().useIdentityAsUsername()) {
            // As Mosquitto's use_identity_as_username: the certificate names the user, whatever the client sent.
            if (certificate == null || certificate.commonName() == null) {
                return refuse(c, connect, ReasonCode.NOT_AUTHORIZED, certificate == null
                        ? "a client certificate is needed on this listener" : "the client certificate has no CN");
            }
            username = certificate.commonName();
        }
        ConnectionInfo info = new ConnectionInfo(clientId, username, v,
                (InetSocketAddress) c.channel().remoteAddress(), ((InetSocketAddress) c.channel().localAddress()).getPort(),
                c.listener().name(), keepAlive, connect.cleanStart(), now, certificate);
        c.connecting(info, props, granted.expirySeconds(), will, willDelay);

        c.authMethod(props.authenticationMethod());
        core.events().clientConnect(connect, info);

        // In turn with the other logins: at most logins.max_concurrent are decided at once, addresses taking turns.
        CompletionStage<AuthResult> decision = logins.authenticate(address, c.eventLoop(),
                () -> c.isClosing() ? CLOSED : core.policy().authenticate(connect, info));
        if (decision == null) {
            core.metrics().connectsBusy.increment();
            return refuse(c, connect, ReasonCode.SERVER_BUSY, "too many logins from this address are waiting");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        await(c, decision, r -> authenticated(c, connect, granted, r, done));
        return done;
    }

    /**
     * Continues with a decision once it is known: at once when it already is, otherwise on the connection's loop.
     * A failed decision refuses the client with 0x80.
     */
    private static void await(Connection c, CompletionStage<AuthResult> stage, Consumer<AuthResult> then) {
        CompletableFuture<AuthResult> f = stage.toCompletableFuture();
        if (f.isDone()) {
            then.accept(f.isCompletedExceptionally() ? failed(c, f) : f.join());
            return;
        }
        stage.whenComplete((r, e) -> c.eventLoop().execute(() -> {
            if (e != null) {
                log.warn("Authentication of {} failed", c.info().describe(), e);
            }
            then.accept(e == null ? r : new AuthResult(ReasonCode.UNSPECIFIED_ERROR, "authentication failed"));
        }));
    }

    private static AuthResult failed(Connection c, CompletableFuture<AuthResult> f) {
        try {
            f.join();
        } catch (RuntimeException e) {
            log.warn("Authentication of {} failed", c.info().describe(), e);
        }
        return new AuthResult(ReasonCode.UNSPECIFIED_ERROR, "authentication failed");
    }

    private Granted expiry(Connect connect, String assigned, Integer serverKeepAlive) {
        SessionConfig sessions = core.config().session();
        if (!connect.version().isV5()) {
            long expiry = connect.cleanStart() ? 0 : Durations.toMqttSeconds(sessions.persistentClientExpiration());
            return new Granted(null, null, null, expiry);
        }
        Long requested = connect.properties().sessionExpiryInterval();
        long want = requested == null ? 0 : requested;
        long max = Durations.toMqttSeconds(sessions.maxExpiryInterval());
        if (want > max) {
            return new Granted(assigned, serverKeepAlive, max, max);
        }
        return new Granted(assigned, serverKeepAlive, null, want);
    }

    private void authenticated(Connection c, Connect connect, Granted granted, AuthResult result,
                               CompletableFuture<Void> done) {
        if (c.isClosing()) {
            done.complete(null);
            return;
        }
        if (result.continues()) {
            // MQTT 5.0 enhanced authentication: challenge the client and decide on its answer.
            String method = c.authMethod();
            MqttProperties challenge = MqttProperties.builder().authenticationMethod(method)
                    .authenticationData(result.authenticationData()).build();
            c.continueAuthentication(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, challenge), answer -> {
                if (answer.reasonCode() != ReasonCode.CONTINUE_AUTHENTICATION
                        || !method.equals(answer.properties().authenticationMethod())) {
                    refuse(c, connect, ReasonCode.PROTOCOL_ERROR, "AUTH must continue with method " + method);
                    done.complete(null);
                    return;
                }
                await(c, core.policy().authenticateStep(c.info(), method, answer.properties().authenticationData(), false),
                        r -> authenticated(c, connect, granted, r, done));
            });
            return;
        }
        if (!result.allowed()) {
            core.metrics().connectsDenied.increment();
            logins.outcome(c.info().remoteAddress() == null ? null : c.info().remoteAddress().getAddress(),
                    c.info().clientId(), result);
            refuse(c, connect, result.reasonCode(), result.reasonString());
            done.complete(null);
            return;
        }
        if (result.superuser()) {
            c.superuser();
        }
        core.registry().open(c, connect.cleanStart(), granted.expirySeconds(), (session, resumed) -> {
            if (c.isClosing()) {
                // The socket closed while the session was being opened.
                session.detach(c, true);
                done.complete(null);
                return;
            }
            c.attached(session);
            if (resumed) {
                core.events().sessionResumed(session);
            } else {
                core.events().sessionCreated(session);
            }
            MqttProperties props = connAckProperties(c, granted);
            if (c.authMethod() != null) {
                props = props.toBuilder().authenticationMethod(c.authMethod())
                        .authenticationData(result.authenticationData()).build();
            }
            c.send(new ConnAck(resumed, ReasonCode.SUCCESS, props));
            core.events().clientConnack(connect, c.info(), ReasonCode.SUCCESS);
            core.events().clientConnected(c.info());
            log.debug("Connected {} ({}, session {})", c.info().describe(), c.info().version(),
                    resumed ? "resumed" : "new");
            session.resume(c);
            done.complete(null);
        });
    }

    /** What an authentication of a connection that closed while it waited its turn answers, without any work. */
    private static final CompletableFuture<AuthResult> CLOSED = CompletableFuture.completedFuture(
            new AuthResult(ReasonCode.UNSPECIFIED_ERROR, "the connection closed"));

    private MqttProperties connAckProperties(Connection c, Granted granted) {
        if (!c.version().isV5()) {
            return MqttProperties.EMPTY;
        }
        LimitsConfig limits = c.limits();
        MqttProperties.Builder b = MqttProperties.builder()
                .assignedClientIdentifier(granted.assignedClientId())
                .serverKeepAlive(granted.serverKeepAlive())
                .sessionExpiryInterval(granted.sessionExpiry());
        if (limits.receiveMaximum() < 65535) {
            b.receiveMaximum(limits.receiveMaximum());
        }
        if (limits.maxPacketSize() < LimitsConfig.PROTOCOL_MAX_PACKET_SIZE) {
            b.maximumPacketSize((long) limits.maxPacketSize());
        }
        if (limits.maxTopicAlias() > 0) {
            b.topicAliasMaximum(limits.maxTopicAlias());
        }
        return b.build();
    }

    private CompletionStage<?> refuse(Connection c, Connect connect, ReasonCode reason, String reasonString) {
        if (c.info() == null) {
            c.encoderVersion(connect.version());
        } else {
            core.events().clientConnack(connect, c.info(), reason);
        }
        c.refuse(reason, reasonString);
        return null;
    }

    /** The certificate the client presented in the TLS handshake, or {@code null} without TLS or without one. */
    private static ClientCertificate clientCertificate(io.netty.channel.Channel channel) {
        if (!(channel.pipeline().get(ChannelHandlerNames.TLS) instanceof io.netty.handler.ssl.SslHandler ssl)) {
            return null;
        }
        try {
            java.security.cert.Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof java.security.cert.X509Certificate x
                    ? ClientCertificate.of(x) : null;
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
