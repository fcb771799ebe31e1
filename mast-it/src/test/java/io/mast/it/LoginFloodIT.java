package io.mast.it;

import static io.mast.it.RawProtocol.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.broker.config.LoginsConfig;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.plugin.AsyncAuthPlugin;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ConnectInfo;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Logins stay fast for everyone under a flood ({@code logins:}): failed logins from one address, or for one client
 * identifier, ban it for a while, and a banned client is refused (0x8A) before any authentication work; logins
 * waiting from one address are bounded, beyond which a CONNECT is refused at once (0x89). The order in which waiting
 * logins are served (addresses in turn) is checked by {@code LoginsTest}.
 */
class LoginFloodIT {

    private static final int BAN_AFTER = 5;

    /** Logins of user {@code hold} wait for the test. */
    static final BlockingQueue<CompletableFuture<AuthDecision>> HELD = new LinkedBlockingQueue<>();

    /** Allows the password {@code right}; holds user {@code hold}; refuses the rest as bad credentials. */
    public static final class Passwords extends BrokerPlugin implements AsyncAuthPlugin {
        public Passwords(BrokerContext context) {
            super(context);
        }

        @Override
        public CompletionStage<AuthDecision> authenticate(ConnectInfo connect) {
            if ("hold".equals(connect.username())) {
                CompletableFuture<AuthDecision> f = new CompletableFuture<>();
                HELD.add(f);
                return f;
            }
            byte[] p = connect.password();
            boolean right = p != null && "right".equals(new String(p, StandardCharsets.UTF_8));
            return CompletableFuture.completedFuture(right ? AuthDecision.allow() : AuthDecision.badCredentials());
        }
    }

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.withConfig(c -> c.withLogins(
                    new LoginsConfig(1, 1, BAN_AFTER, Duration.ofMinutes(1), Duration.ofMinutes(1))))
            .plugin(Passwords.class);

    private long metric(String name) {
        return broker.broker().metrics().value(name);
    }

    private static RawMqttClient login(String source, String clientId, String username, String password)
            throws IOException {
        RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5, source, 0);
        c.send(new Connect(MqttVersion.MQTT_5, true, 60, clientId, null, username,
                password == null ? null : password.getBytes(StandardCharsets.UTF_8), MqttProperties.EMPTY));
        return c;
    }

    private static ReasonCode answer(String source, String clientId, String password) throws IOException {
        try (RawMqttClient c = login(source, clientId, "user", password)) {
            return c.expect(ConnAck.class, TIMEOUT).reasonCode();
        }
    }

    @Test
    void anAddressWithRepeatedFailedLoginsIsBannedAndOthersAreNot() throws Exception {
        long bansBefore = metric("logins.bans");
        for (int i = 0; i < BAN_AFTER; i++) {
            assertThat(answer("127.0.0.31", "guess-" + i, "wrong")).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }
        assertThat(answer("127.0.0.31", "guess-ok", "right")).as("banned address, right password")
                .isEqualTo(ReasonCode.BANNED);
        assertThat(answer("127.0.0.32", "elsewhere", "right")).as("another address").isEqualTo(ReasonCode.SUCCESS);
        assertThat(metric("logins.bans") - bansBefore).isEqualTo(1);
        assertThat(metric("connects.banned")).isPositive();
    }

    @Test
    void aClientIdentifierWithRepeatedFailedLoginsIsBannedFromEveryAddress() throws Exception {
        for (int i = 0; i < BAN_AFTER; i++) {
            assertThat(answer("127.0.0." + (40 + i), "victim", "wrong"))
                    .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }
        assertThat(answer("127.0.0.50", "victim", "right")).isEqualTo(ReasonCode.BANNED);
        assertThat(answer("127.0.0.50", "not-the-victim", "right")).isEqualTo(ReasonCode.SUCCESS);
    }

    @Test
    void loginsWaitingFromOneAddressAreBounded() throws Exception {
        // max_concurrent 1, max_pending_per_address 1: one login under way, one waiting, the next refused at once.
        try (RawMqttClient first = login("127.0.0.60", "held-1", "hold", null)) {
            CompletableFuture<AuthDecision> running = HELD.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(running).as("the first login is under way").isNotNull();
            try (RawMqttClient second = login("127.0.0.60", "held-2", "hold", null);
                 RawMqttClient third = login("127.0.0.60", "held-3", "hold", null)) {
                // Whichever of the two comes second is refused at once; the other waits its turn.
                RawMqttClient waiting = null;
                ConnAck busy = null;
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (busy == null && System.nanoTime() < deadline) {
                    if (second.read(Duration.ofMillis(50)) instanceof ConnAck a) {
                        busy = a;
                        waiting = third;
                    } else if (third.read(Duration.ofMillis(50)) instanceof ConnAck a) {
                        busy = a;
                        waiting = second;
                    }
                }
                assertThat(busy).as("one of the two refused while the other waits").isNotNull();
                assertThat(busy.reasonCode()).isEqualTo(ReasonCode.SERVER_BUSY);
                assertThat(HELD).as("the other waits its turn").isEmpty();

                running.complete(AuthDecision.allow());
                assertThat(first.expect(ConnAck.class, TIMEOUT).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
                CompletableFuture<AuthDecision> next = HELD.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(next).as("then the waiting one's turn").isNotNull();
                next.complete(AuthDecision.allow());
                assertThat(waiting.expect(ConnAck.class, TIMEOUT).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            }
        }
    }
}
