package io.mast.it;

import static io.mast.it.ExHookTesting.CONNECTED;
import static io.mast.it.ExHookTesting.DISCONNECTED;
import static io.mast.it.ExHookTesting.TIMEOUT;
import static io.mast.it.ExHookTesting.awaitStatus;
import static io.mast.it.ExHookTesting.metric;
import static io.mast.it.ExHookTesting.server;
import static io.mast.it.ExHookTesting.spec;
import static io.mast.it.ExHookTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.mast.broker.MastBroker;
import io.mast.exhook.proto.v3.HookSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hook server that dies, hangs or is not there: {@code failed_action} decides exactly (deny refuses, ignore
 * abstains), {@code auto_reconnect} brings it back, and clients whose topics it does not hook never wait.
 */
class ExHookFailureIT {

    /** No client.authorize: it would concern every topic; message.publish only hooked/#. */
    private static final List<HookSpec> HOOKS = List.of(spec("client.authenticate"),
            spec("message.publish", "hooked/#"));

    private final ExHookTesting.Calls calls = new ExHookTesting.Calls();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private ExHookTesting.V3Server hookServer(String name) {
        ExHookTesting.V3Server s = new ExHookTesting.V3Server(name, calls, HOOKS);
        open.add(s);
        return s;
    }

    @SafeVarargs
    private MastBroker broker(java.util.Map<String, Object>... servers) {
        MastBroker b = ExHookTesting.startBroker(servers);
        open.add(b);
        return b;
    }

    private Mqtt5AsyncClient client(MastBroker b, String id) {
        Mqtt5AsyncClient c = ExHookTesting.connectAsync(b.port(), id);
        open.add(() -> c.disconnect());
        return c;
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient c, String topic) {
        return c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("m")).send();
    }

    /** The PUBACK's reason code: SUCCESS, or the refusal (the HiveMQ client reports it as an error). */
    private static Mqtt5PubAckReasonCode puback(CompletableFuture<Mqtt5PublishResult> f) throws Exception {
        try {
            Mqtt5PublishResult r = f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (r.getError().isPresent() && r.getError().get() instanceof Mqtt5PubAckException e) {
                return e.getMqttMessage().getReasonCode();
            }
            assertThat(r.getError()).isEmpty();
            return Mqtt5PubAckReasonCode.SUCCESS;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Mqtt5PubAckException p) {
                return p.getMqttMessage().getReasonCode();
            }
            throw e;
        }
    }

    @Test
    void killedUnderLoadDenyRefusesUntilAutoReconnectRestoresIt() throws Exception {
        ExHookTesting.V3Server s = hookServer("deny");
        s.start();
        MastBroker b = broker(server("deny", s.url(), "failed_action", "deny", "auto_reconnect", "1s",
                "request_timeout", "2s"));
        awaitStatus(b, "deny", CONNECTED);
        Mqtt5AsyncClient hooked = client(b, "k-hooked");
        Mqtt5AsyncClient free = client(b, "k-free");

        List<CompletableFuture<Mqtt5PublishResult>> burst = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            burst.add(publish(hooked, "hooked/" + i));
            if (i == 25) {
                s.stop();
            }
        }
        // Nothing hangs: each message was either decided before the kill or refused because of it.
        for (CompletableFuture<Mqtt5PublishResult> f : burst) {
            assertThat(puback(f)).isIn(Mqtt5PubAckReasonCode.SUCCESS, Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        }
        assertThat(puback(publish(hooked, "hooked/down"))).as("deny while down")
                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(puback(publish(free, "free/down"))).as("a topic the server does not hook")
                .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        awaitStatus(b, "deny", DISCONNECTED);
        assertThat(metric(b, "deny", "message.publish.failed")).isPositive();

        s.start();
        awaitStatus(b, "deny", CONNECTED);
        assertThat(puback(publish(hooked, "hooked/back"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(calls.of("OnProviderLoaded", io.mast.exhook.proto.v3.ProviderLoadedRequest.class, r -> true))
                .as("loaded at startup and again after the restart").hasSize(2);
    }

    @Test
    void killedWithIgnoreTheServerAbstains() throws Exception {
        ExHookTesting.V3Server s = hookServer("ignore");
        s.start();
        s.answers.put("OnMessagePublish", r -> ExHookTesting.ignore());
        MastBroker b = broker(server("ignore", s.url(), "failed_action", "ignore", "auto_reconnect", false));
        awaitStatus(b, "ignore", CONNECTED);
        Mqtt5AsyncClient hooked = client(b, "i-hooked");
        assertThat(puback(publish(hooked, "hooked/1"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        s.stop();
        assertThat(puback(publish(hooked, "hooked/2"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        awaitStatus(b, "ignore", DISCONNECTED);
        assertThat(puback(publish(hooked, "hooked/3"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        // A new client logs in: the server abstains, Mast's default stands.
        client(b, "i-new");
    }

    @Test
    void aServerThatDoesNotAnswerTimesOutAndBlocksNoOtherClient() throws Exception {
        ExHookTesting.V3Server s = hookServer("slow");
        s.start();
        MastBroker b = broker(server("slow", s.url(), "failed_action", "deny", "request_timeout", "500ms"));
        awaitStatus(b, "slow", CONNECTED);
        Mqtt5AsyncClient hooked = client(b, "s-hooked");
        Mqtt5AsyncClient free = client(b, "s-free");
        s.hold("OnMessagePublish");
        CompletableFuture<Mqtt5PublishResult> held = publish(hooked, "hooked/slow");
        calls.await("OnMessagePublish", io.mast.exhook.proto.v3.MessagePublishRequest.class,
                r -> r.getMessage().getTopic().equals("hooked/slow"));
        assertThat(puback(publish(free, "free/1"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(puback(held)).as("timed out under deny").isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(metric(b, "slow", "message.publish.timed_out")).isEqualTo(1);
        s.release();
        assertThat(metric(b, "slow", "status")).as("a timeout does not disconnect").isEqualTo(CONNECTED);
    }

    @Test
    void unreachableAtStartupFollowsFailedActionUntilItComesUp() throws Exception {
        int denyPort = ExHookTesting.freePort();
        int ignorePort = ExHookTesting.freePort();
        MastBroker deny = broker(server("deny", "http://127.0.0.1:" + denyPort, "auto_reconnect", "1s"));
        MastBroker ignore = broker(server("ignore", "http://127.0.0.1:" + ignorePort, "failed_action", "ignore",
                "auto_reconnect", "1s"));
        assertThat(metric(deny, "deny", "status")).isEqualTo(DISCONNECTED);

        // Never loaded, the server might decide anything: deny refuses logins (0x88 Server unavailable) ...
        Mqtt5ConnAckException refused = catchThrowableOfType(Mqtt5ConnAckException.class,
                () -> ExHookTesting.connect(deny.port(), "u-denied"));
        assertThat(refused).isNotNull();
        assertThat(refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
        // ... ignore leaves Mast's default.
        Mqtt5AsyncClient allowed = client(ignore, "u-allowed");
        assertThat(puback(publish(allowed, "hooked/1"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

        ExHookTesting.V3Server late = hookServer("deny");
        late.startOn(denyPort);
        awaitStatus(deny, "deny", CONNECTED);
        client(deny, "u-later");
        assertThat(calls.of("OnClientAuthenticate", io.mast.exhook.proto.v3.ClientAuthenticateRequest.class,
                r -> r.getClientinfo().getClientid().equals("u-later"))).hasSize(1);
    }
}
