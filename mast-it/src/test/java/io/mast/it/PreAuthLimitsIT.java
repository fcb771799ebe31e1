package io.mast.it;

import static io.mast.it.RawProtocol.TIMEOUT;
import static io.mast.it.RawProtocol.bytes;
import static io.mast.it.RawProtocol.cat;
import static io.mast.it.RawProtocol.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.broker.config.LimitsConfig;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a client that is not yet authenticated can make the broker hold: a CONNECT (or AUTH) before a successful CONNACK
 * is limited to {@code limits.max_connect_packet_size} whatever {@code max_packet_size} allows, the bytes of all
 * unauthenticated connections together to {@code max_unauthenticated_bytes}, and new connections from one address to
 * {@code max_connection_rate_per_address} a second. Before, a CONNECT that declared 256 MB was buffered until the
 * connect timeout.
 */
class PreAuthLimitsIT {

    private static final long UNAUTHENTICATED_CAP = 150_000;
    private static final int RATE_PER_ADDRESS = 5;

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.withConfig(c -> c.withLimits(new LimitsConfig(null,
            null, null, null, null, null, null, null, null, null, null, null, UNAUTHENTICATED_CAP, null,
            RATE_PER_ADDRESS)));

    private long metric(String name) {
        return broker.broker().metrics().value(name);
    }

    /** A CONNECT's fixed header declaring the largest Remaining Length, then its variable header. */
    private static byte[] hugeConnectStart(int level) {
        return cat(bytes(0x10, 0xFF, 0xFF, 0xFF, 0x7F), utf8("MQTT"), bytes(level, 0x02, 0x00, 0x3C));
    }

    /** Connects from its own loopback address, so the per-address connection rate of one test spares the others. */
    private static RawMqttClient connect(String source) throws IOException {
        return RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5, source, 0);
    }

    @Test
    void aConnectDeclaring256MegabytesIsRefusedAtOnce() throws Exception {
        try (RawMqttClient v5 = connect("127.0.0.21"); RawMqttClient v311 = connect("127.0.0.21")) {
            v5.send(hugeConnectStart(5));
            RawProtocol.assertRefused(v5, ReasonCode.PACKET_TOO_LARGE);
            v311.send(hugeConnectStart(4));
            assertThat(v311.awaitClosed(TIMEOUT)).as("closed without waiting for the body").isTrue();
        }
    }

    @Test
    void aConnectIsLimitedToMaxConnectPacketSizeBeforeAuthentication() throws Exception {
        try (RawMqttClient big = connect("127.0.0.22"); RawMqttClient fits = connect("127.0.0.22")) {
            big.send(new Connect(MqttVersion.MQTT_5, true, 60, "big-connect", null, "u", new byte[70_000],
                    MqttProperties.EMPTY));
            RawProtocol.assertRefused(big, ReasonCode.PACKET_TOO_LARGE);
            fits.send(new Connect(MqttVersion.MQTT_5, true, 60, "fits-connect", null, "u", new byte[60_000],
                    MqttProperties.EMPTY));
            assertThat(fits.expect(ConnAck.class, TIMEOUT).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        }
    }

    @Test
    void unauthenticatedConnectionsTogetherHoldAtMostTheirCap() throws Exception {
        long refusedBefore = metric("connections.refused.unauthenticated_bytes");
        List<RawMqttClient> partial = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawMqttClient c = connect("127.0.0.23");
                partial.add(c);
                // A CONNECT of 65,000 bytes of which 60,000 are sent: the broker holds them, waiting for the rest.
                c.send(cat(bytes(0x10), RawProtocol.vbi(65_000), new byte[60_000]));
            }
            // The bytes that took the three past 150,000 closed their connection, and only that one.
            await().atMost(TIMEOUT).until(() -> metric("connections.refused.unauthenticated_bytes") > refusedBefore);
            int closed = 0;
            for (RawMqttClient c : partial) {
                if (c.awaitClosed(Duration.ofMillis(300))) {
                    closed++;
                }
            }
            assertThat(closed).isEqualTo(1);
            assertThat(metric("connections.refused.unauthenticated_bytes") - refusedBefore).isEqualTo(1);
        } finally {
            for (RawMqttClient c : partial) {
                c.close();
            }
        }
        // Their bytes are released with them: clients connect again.
        await().atMost(TIMEOUT).until(() -> broker.broker().core().unauthenticatedBytes().get() == 0);
        try (RawMqttClient c = connect("127.0.0.24")) {
            c.send(new Connect(MqttVersion.MQTT_5, true, 60, "after-partial", null, null, null, MqttProperties.EMPTY));
            assertThat(c.expect(ConnAck.class, TIMEOUT).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        }
    }

    @Test
    void connectionsBeyondTheRatePerAddressAreClosedAndOtherAddressesAreServed() throws Exception {
        long refusedBefore = metric("connections.refused.rate");
        int attempts = 60;
        List<RawMqttClient> flood = new ArrayList<>();
        try {
            for (int i = 0; i < attempts; i++) {
                flood.add(connect("127.0.0.25"));
            }
            await().atMost(TIMEOUT).until(() -> metric("connections.refused.rate") > refusedBefore);
        } finally {
            for (RawMqttClient c : flood) {
                c.close();
            }
        }
        assertThat(metric("connections.refused.rate") - refusedBefore).as("refused")
                .isBetween(1L, (long) attempts - RATE_PER_ADDRESS);
        try (RawMqttClient other = connect("127.0.0.26")) {
            other.send(new Connect(MqttVersion.MQTT_5, true, 60, "other-address", null, null, null,
                    MqttProperties.EMPTY));
            assertThat(other.expect(ConnAck.class, TIMEOUT).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        }
    }
}
