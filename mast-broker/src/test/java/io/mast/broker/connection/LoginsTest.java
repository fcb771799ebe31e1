package io.mast.broker.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.broker.config.LoginsConfig;
import io.mast.broker.metrics.BrokerMetrics;
import io.mast.broker.policy.Policy.AuthResult;
import io.mast.codec.ReasonCode;
import io.mast.plugin.support.Metrics;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class LoginsTest {

    private final BrokerMetrics metrics = new BrokerMetrics(new Metrics());
    /** The logins started, in order, each with the decision the test completes. */
    private final List<String> started = new ArrayList<>();
    private final List<CompletableFuture<AuthResult>> decisions = new ArrayList<>();

    private static InetAddress address(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }

    private CompletionStage<AuthResult> submit(Logins logins, int address, String name) throws Exception {
        return logins.authenticate(address(address), Runnable::run, () -> {
            started.add(name);
            CompletableFuture<AuthResult> d = new CompletableFuture<>();
            decisions.add(d);
            return d;
        });
    }

    @Test
    void waitingLoginsAreServedAddressByAddressInTurn() throws Exception {
        Logins logins = new Logins(new LoginsConfig(1, 100, 0, null, null), metrics);
        submit(logins, 1, "a1");
        for (int i = 2; i <= 5; i++) {
            submit(logins, 1, "a" + i); // a flood from one address
        }
        submit(logins, 2, "b1"); // a login from another address, after the flood
        submit(logins, 3, "c1");
        assertThat(started).containsExactly("a1");
        for (int i = 0; i < 7; i++) {
            decisions.get(i).complete(AuthResult.ALLOW);
        }
        assertThat(started).as("b1 and c1 do not wait for the whole flood")
                .containsExactly("a1", "a2", "b1", "c1", "a3", "a4", "a5");
    }

    @Test
    void anAddressWithTooManyWaitingLoginsIsRefused() throws Exception {
        Logins logins = new Logins(new LoginsConfig(1, 2, 0, null, null), metrics);
        assertThat(submit(logins, 1, "running")).isNotNull();
        assertThat(submit(logins, 1, "waiting-1")).isNotNull();
        assertThat(submit(logins, 1, "waiting-2")).isNotNull();
        assertThat(submit(logins, 1, "one too many")).isNull();
        assertThat(submit(logins, 2, "another address")).isNotNull();
    }

    @Test
    void failedLoginsBanTheAddressAndTheClientIdentifierForAWhile() throws Exception {
        Logins logins = new Logins(new LoginsConfig(null, null, 3, Duration.ofMinutes(1), Duration.ofMillis(200)),
                metrics);
        AuthResult wrong = new AuthResult(ReasonCode.BAD_USER_NAME_OR_PASSWORD, null);
        for (int i = 0; i < 2; i++) {
            logins.outcome(address(1), "c" + i, wrong);
        }
        assertThat(logins.isBanned(address(1), "x")).as("below the threshold").isFalse();
        logins.outcome(address(1), "c2", wrong);
        assertThat(logins.isBanned(address(1), "x")).isTrue();
        assertThat(logins.isBanned(address(2), "x")).isFalse();
        assertThat(metrics.bans.sum()).isEqualTo(1);

        InetAddress banned = address(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !logins.isBanned(banned, "x")); // the ban ends
    }

    @Test
    void failuresOfTheAuthenticationItselfDoNotCount() throws Exception {
        Logins logins = new Logins(new LoginsConfig(null, null, 1, null, null), metrics);
        logins.outcome(address(1), "c", new AuthResult(ReasonCode.SERVER_UNAVAILABLE, "database down"));
        logins.outcome(address(1), "c", new AuthResult(ReasonCode.UNSPECIFIED_ERROR, "timed out"));
        assertThat(logins.isBanned(address(1), "c")).isFalse();
        logins.outcome(address(1), "c", new AuthResult(ReasonCode.NOT_AUTHORIZED, null));
        assertThat(logins.isBanned(address(1), "c")).isTrue();
        assertThat(logins.isBanned(address(9), "c")).as("the client identifier too").isTrue();
    }
}
