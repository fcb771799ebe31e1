package io.mast.broker.connection;

import io.mast.broker.BrokerCore;
import io.mast.plugin.support.Durations;
import io.mast.broker.config.LimitsConfig;
import io.mast.broker.config.SessionConfig;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.policy.Policy.AuthResult;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Will;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECT: checks the client identifier and keep-alive against the limits, settles the session expiry and will,
 * asks the policy, then opens (or resumes) the session and answers CONNACK.
 */
final class ConnectHandler {

    private static final Logger log = LoggerFactory.getLogger(ConnectHandler.class);

    private final BrokerCore core;

    ConnectHandler(BrokerCore core) {
        this.core = core;
    }

    /** What the CONNACK will tell the client besides the outcome. */
    private record Granted(String assignedClientId, Integer serverKeepAlive, Long sessionExpiry, long expirySeconds) {
    }

    CompletionStage<?> handle(Connection c, Connect connect) {
        MqttVersion v = connect.version();
        LimitsConfig limits = core.config().limits();

        String clientId = connect.clientId();
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
        if (props.authenticationMethod() != null) {
            return refuse(c, connect, ReasonCode.BAD_AUTHENTICATION_METHOD,
                    "authentication method " + props.authenticationMethod() + " is not supported");
        }

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

        ConnectionInfo info = new ConnectionInfo(clientId, connect.username(), v,
                (InetSocketAddress) c.channel().remoteAddress(), ((InetSocketAddress) c.channel().localAddress()).getPort(),
                c.listener().name(), keepAlive, connect.cleanStart(), now);
        c.connecting(info, props, granted.expirySeconds(), will, willDelay);

        CompletionStage<AuthResult> auth = core.policy().authenticate(connect, info);
        CompletableFuture<AuthResult> f = auth.toCompletableFuture();
        if (f.isDone() && !f.isCompletedExceptionally()) {
            return authenticated(c, connect, granted, f.join());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        auth.whenComplete((result, error) -> c.eventLoop().execute(() -> {
            AuthResult r = error == null ? result
                    : new AuthResult(ReasonCode.UNSPECIFIED_ERROR, "authentication failed");
            if (error != null) {
                log.warn("Authentication of {} failed", info.describe(), error);
            }
            CompletionStage<?> next = authenticated(c, connect, granted, r);
            if (next == null) {
                done.complete(null);
            } else {
                next.whenComplete((x, e) -> done.complete(null));
            }
        }));
        return done;
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

    private CompletionStage<?> authenticated(Connection c, Connect connect, Granted granted, AuthResult result) {
        if (c.isClosing()) {
            return null;
        }
        if (!result.allowed()) {
            core.metrics().connectsDenied.increment();
            log.info("Refused {}: {}{}", c.info().describe(), result.reasonCode().describe(),
                    result.reasonString() == null ? "" : " (" + result.reasonString() + ")");
            return refuse(c, connect, result.reasonCode(), result.reasonString());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        core.registry().open(c, connect.cleanStart(), granted.expirySeconds(), (session, resumed) -> {
            if (c.isClosing()) {
                // The socket closed while the session was being opened.
                session.detach(c, true);
                done.complete(null);
                return;
            }
            c.attached(session);
            c.send(new ConnAck(resumed, ReasonCode.SUCCESS, connAckProperties(c, granted)));
            log.debug("Connected {} ({}, session {})", c.info().describe(), c.info().version(),
                    resumed ? "resumed" : "new");
            session.resume(c);
            done.complete(null);
        });
        return done;
    }

    private MqttProperties connAckProperties(Connection c, Granted granted) {
        if (!c.version().isV5()) {
            return MqttProperties.EMPTY;
        }
        LimitsConfig limits = core.config().limits();
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
        }
        c.refuse(reason, reasonString);
        return null;
    }
}
