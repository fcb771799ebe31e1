package io.mast.it;

import static io.mast.it.RawProtocol.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connection storm from one address (many clients behind one NAT or load balancer, or a load generator) waits for
 * its logins with the default {@code logins:} settings; none is refused as Server busy. Found by the ExHook
 * benchmark: 200 clients connecting at once from 127.0.0.1 got 32 refusals (0x89) when an address could have only 32
 * logins waiting.
 */
class ConnectStormIT {

    private static final int CLIENTS = 300;

    /** Every login waits here until the test lets it through: they all pile up, as behind a slow auth source. */
    static final BlockingQueue<CompletableFuture<AuthDecision>> HELD = new LinkedBlockingQueue<>();

    /** Holds every login for the test. */
    public static final class Hold extends BrokerPlugin implements AsyncAuthPlugin {
        public Hold(BrokerContext context) {
            super(context);
        }

        @Override
        public CompletionStage<AuthDecision> authenticate(ConnectInfo connect) {
            CompletableFuture<AuthDecision> f = new CompletableFuture<>();
            HELD.add(f);
            return f;
        }
    }

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create().plugin(Hold.class);

    @Test
    void manyLoginsAtOnceFromOneAddressWaitTheirTurnAndAllSucceed() throws Exception {
        List<RawMqttClient> clients = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread releaser = null;
        try {
            for (int i = 0; i < CLIENTS; i++) {
                RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5, "127.0.0.70", 0);
                clients.add(c);
                c.send(new Connect(MqttVersion.MQTT_5, true, 60, "storm-" + i, null, null, null,
                        MqttProperties.EMPTY));
            }
            // max_concurrent (16) logins under way, held; the other 284 wait in the address's queue.
            await().atMost(TIMEOUT).until(() -> HELD.size() == 16);
            releaser = Thread.ofVirtual().start(() -> {
                try {
                    while (!done.get()) {
                        CompletableFuture<AuthDecision> f = HELD.poll(100, TimeUnit.MILLISECONDS);
                        if (f != null) {
                            f.complete(AuthDecision.allow());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (RawMqttClient c : clients) {
                assertThat(c.expect(ConnAck.class, TIMEOUT).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            }
            assertThat(broker.broker().metrics().value("connects.busy")).isZero();
        } finally {
            done.set(true);
            if (releaser != null) {
                releaser.join();
            }
            for (RawMqttClient c : clients) {
                c.close();
            }
        }
    }
}
