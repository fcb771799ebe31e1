package io.mast.it;

import static io.mast.it.PluginTesting.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Auth;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.PingReq;
import io.mast.codec.packet.PingResp;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.AuthPlugin;
import io.mast.plugin.AuthStep;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ConnectInfo;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MQTT 5.0 enhanced authentication decided by a plugin: the plugin challenges ({@link AuthDecision#continueWith}),
 * the client answers in AUTH, the plugin allows (with data for CONNACK) or refuses; and re-authentication (AUTH 0x19)
 * of a connected client, answered with AUTH 0x00 or DISCONNECT.
 */
class PluginEnhancedAuthIT {

    static final String METHOD = "MAST-REVERSE";

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Challenges with a nonce; the client must answer it reversed. The same on re-authentication. Abstains for other
     * methods (and for clients without enhanced authentication).
     */
    public static final class ReverseChallenge extends BrokerPlugin implements AuthPlugin {
        static final List<String> STEPS = new CopyOnWriteArrayList<>();
        private final Map<String, String> nonces = new ConcurrentHashMap<>();
        private final AtomicInteger counter = new AtomicInteger();

        public ReverseChallenge(BrokerContext context) {
            super(context);
        }

        private AuthDecision challenge(String clientId) {
            String nonce = "nonce-" + counter.incrementAndGet();
            nonces.put(clientId, nonce);
            return AuthDecision.continueWith(utf8(nonce));
        }

        @Override
        public AuthDecision authenticate(ConnectInfo connect) {
            if (!METHOD.equals(connect.authenticationMethod())) {
                return AuthDecision.abstain();
            }
            STEPS.add(connect.clientId() + " connect " + text(connect.authenticationData()));
            return challenge(connect.clientId());
        }

        @Override
        public AuthDecision authenticateStep(AuthStep step) {
            if (!METHOD.equals(step.method())) {
                return AuthDecision.abstain();
            }
            String id = step.client().clientId();
            STEPS.add(id + (step.reauthentication() ? " reauth " : " step ") + text(step.data()));
            String nonce = nonces.remove(id);
            if (nonce == null) {
                return challenge(id); // a re-authentication starts
            }
            return new StringBuilder(nonce).reverse().toString().equals(text(step.data()))
                    ? AuthDecision.allowWith(utf8("welcome " + id)) : AuthDecision.badCredentials();
        }
    }

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create().plugin(ReverseChallenge.class);

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    private static MqttProperties auth(String data) {
        return MqttProperties.builder().authenticationMethod(METHOD).authenticationData(data == null ? null : utf8(data))
                .build();
    }

    private static String reversed(byte[] nonce) {
        return new StringBuilder(text(nonce)).reverse().toString();
    }

    /** Sends CONNECT with the method and returns the plugin's challenge (AUTH 0x18). */
    private static Auth challenge(RawMqttClient c, String clientId) throws Exception {
        c.send(new Connect(MqttVersion.MQTT_5, true, 60, clientId, null, null, null, auth("hello")));
        Auth challenge = c.expect(Auth.class, TIMEOUT);
        assertThat(challenge.reasonCode()).isEqualTo(ReasonCode.CONTINUE_AUTHENTICATION);
        assertThat(challenge.properties().authenticationMethod()).isEqualTo(METHOD);
        assertThat(text(challenge.properties().authenticationData())).startsWith("nonce-");
        return challenge;
    }

    @Test
    void aChallengeAnsweredRightConnectsWithTheFinalDataInConnack() throws Exception {
        RawMqttClient c = clients.raw();
        Auth challenge = challenge(c, "ea-ok");
        String answer = reversed(challenge.properties().authenticationData());
        c.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(answer)));
        ConnAck ack = c.expect(ConnAck.class, TIMEOUT);
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(ack.properties().authenticationMethod()).isEqualTo(METHOD);
        assertThat(text(ack.properties().authenticationData())).isEqualTo("welcome ea-ok");
        assertThat(ReverseChallenge.STEPS).containsSubsequence("ea-ok connect hello", "ea-ok step " + answer);
        c.send(PingReq.INSTANCE);
        c.expect(PingResp.class, TIMEOUT);
    }

    @Test
    void aWrongAnswerIsRefusedWithThePluginsReason() throws Exception {
        RawMqttClient c = clients.raw();
        challenge(c, "ea-wrong");
        c.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth("not the answer")));
        RawProtocol.assertRefused(c, ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void aMethodNoPluginSupportsIsRefusedWithBadAuthenticationMethod() throws Exception {
        RawMqttClient c = clients.raw();
        c.send(new Connect(MqttVersion.MQTT_5, true, 60, "ea-unknown", null, null, null,
                MqttProperties.builder().authenticationMethod("SCRAM-SHA-1").build()));
        RawProtocol.assertRefused(c, ReasonCode.BAD_AUTHENTICATION_METHOD);
    }

    @Test
    void reAuthenticationSucceedsWithAuthSuccessAndFailsWithDisconnect() throws Exception {
        RawMqttClient r = clients.raw();
        Auth first = challenge(r, "ea-reauth");
        r.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(reversed(first.properties().authenticationData()))));
        assertThat(r.expect(ConnAck.class, TIMEOUT).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

        // Re-authentication, answered right: AUTH 0x00 with the plugin's data; the connection goes on.
        r.send(new Auth(ReasonCode.RE_AUTHENTICATE, auth("again")));
        Auth again = r.expect(Auth.class, TIMEOUT);
        assertThat(again.reasonCode()).isEqualTo(ReasonCode.CONTINUE_AUTHENTICATION);
        r.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(reversed(again.properties().authenticationData()))));
        Auth success = r.expect(Auth.class, TIMEOUT);
        assertThat(success.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(success.properties().authenticationMethod()).isEqualTo(METHOD);
        assertThat(text(success.properties().authenticationData())).isEqualTo("welcome ea-reauth");
        r.send(PingReq.INSTANCE);
        r.expect(PingResp.class, TIMEOUT);
        assertThat(ReverseChallenge.STEPS).contains("ea-reauth reauth again");

        // Re-authentication answered wrong: DISCONNECT 0x87 (0x86 cannot be said in DISCONNECT).
        r.send(new Auth(ReasonCode.RE_AUTHENTICATE, auth("again")));
        r.expect(Auth.class, TIMEOUT);
        r.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth("wrong")));
        RawProtocol.assertDisconnected(r, ReasonCode.NOT_AUTHORIZED);
    }

    /** The HiveMQ client's enhanced authentication: answers the challenge reversed, on connect and re-auth. */
    static final class Reverser implements Mqtt5EnhancedAuthMechanism {
        final CompletableFuture<String> connackData = new CompletableFuture<>();
        final CompletableFuture<String> reauthData = new CompletableFuture<>();

        private static String data(java.util.Optional<ByteBuffer> b) {
            if (b.isEmpty()) {
                return null;
            }
            ByteBuffer buf = b.get().duplicate();
            byte[] bytes = new byte[buf.remaining()];
            buf.get(bytes);
            return text(bytes);
        }

        @Override
        public MqttUtf8String getMethod() {
            return MqttUtf8String.of(METHOD);
        }

        @Override
        public int getTimeout() {
            return (int) TIMEOUT.toSeconds();
        }

        @Override
        public CompletableFuture<Void> onAuth(Mqtt5ClientConfig config, Mqtt5Connect connect, Mqtt5EnhancedAuthBuilder b) {
            b.data(utf8("hello"));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig config, Mqtt5AuthBuilder b) {
            b.data(utf8("again"));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Boolean> onContinue(Mqtt5ClientConfig config, Mqtt5Auth auth, Mqtt5AuthBuilder b) {
            b.data(utf8(new StringBuilder(data(auth.getData())).reverse().toString()));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
            connackData.complete(connAck.getEnhancedAuth().map(a -> data(a.getData())).orElse(null));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig config, Mqtt5Auth auth) {
            reauthData.complete(data(auth.getData()));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public void onAuthRejected(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
            connackData.completeExceptionally(new AssertionError("rejected: " + connAck));
        }

        @Override
        public void onReAuthRejected(Mqtt5ClientConfig config, Mqtt5Disconnect disconnect) {
            reauthData.completeExceptionally(new AssertionError("rejected: " + disconnect));
        }

        @Override
        public void onAuthError(Mqtt5ClientConfig config, Throwable cause) {
            connackData.completeExceptionally(cause);
        }

        @Override
        public void onReAuthError(Mqtt5ClientConfig config, Throwable cause) {
            reauthData.completeExceptionally(cause);
        }
    }

    @Test
    void theHiveMqClientsEnhancedAuthenticationWorksWithThePlugin() throws Exception {
        Reverser reverser = new Reverser();
        Mqtt5BlockingClient c = clients.hive("ea-hivemq", b -> b.enhancedAuth(reverser));
        assertThat(c.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(reverser.connackData.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("welcome ea-hivemq");
        c.toAsync().reauth().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(reverser.reauthData.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("welcome ea-hivemq");
        assertThat(c.getState().isConnected()).isTrue();
    }
}
