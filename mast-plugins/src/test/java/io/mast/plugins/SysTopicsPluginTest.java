package io.mast.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.plugin.Message;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The $SYS topics published from the broker's metrics, with Mosquitto's names and formats. */
class SysTopicsPluginTest {

    private static Map<String, String> last(TestContext ctx) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Message msg : ctx.published) {
            assertThat(msg.retain()).as("retained: %s", msg.topic()).isTrue();
            m.put(msg.topic(), msg.payloadAsString());
        }
        return m;
    }

    private static void metrics(TestContext ctx, long connections, long sessions, long received, long sent) {
        ctx.metrics.putAll(Map.of("connections.current", connections, "sessions.current", sessions,
                "subscriptions.current", 7L, "retained.current", 3L, "messages.received", received,
                "messages.sent", sent, "messages.dropped.queue_full", 2L, "messages.dropped.no_subscriber", 50L,
                "messages.dropped.expired", 1L, "connections.accepted", 9L));
    }

    @Test
    void publishesMosquittosTopicsFromTheMetrics() {
        try (TestContext ctx = TestContext.of(SysTopicsPlugin.class, Map.of("interval", 0))) {
            SysTopicsPlugin p = new SysTopicsPlugin(ctx);
            metrics(ctx, 4, 6, 100, 250);
            p.onBrokerPostStart();
            assertThat(last(ctx)).containsOnlyKeys("$SYS/broker/version")
                    .containsEntry("$SYS/broker/version", "mast version 9.9.9-test");
            p.update();
            Map<String, String> v = last(ctx);
            assertThat(v).containsEntry("$SYS/broker/clients/connected", "4")
                    .containsEntry("$SYS/broker/clients/maximum", "4")
                    .containsEntry("$SYS/broker/clients/total", "6")
                    .containsEntry("$SYS/broker/clients/disconnected", "2")
                    .containsEntry("$SYS/broker/messages/received", "100")
                    .containsEntry("$SYS/broker/messages/sent", "250")
                    .containsEntry("$SYS/broker/publish/messages/received", "100")
                    .containsEntry("$SYS/broker/publish/messages/sent", "250")
                    .containsEntry("$SYS/broker/publish/messages/dropped", "3")
                    .containsEntry("$SYS/broker/subscriptions/count", "7")
                    .containsEntry("$SYS/broker/retained messages/count", "3")
                    .containsEntry("$SYS/broker/load/messages/received/1min", "0.00")
                    .containsEntry("$SYS/broker/load/messages/sent/15min", "0.00")
                    .containsEntry("$SYS/broker/load/publish/dropped/5min", "0.00")
                    .containsEntry("$SYS/broker/load/sockets/1min", "0.00");
            assertThat(v.get("$SYS/broker/uptime")).matches("\\d+ seconds");
            assertThat(Long.parseLong(v.get("$SYS/broker/heap/current"))).isPositive();
            assertThat(Long.parseLong(v.get("$SYS/broker/heap/maximum")))
                    .isGreaterThanOrEqualTo(Long.parseLong(v.get("$SYS/broker/heap/current")));
            assertThat(v.keySet()).as("no bytes topics without the broker's byte counters")
                    .noneMatch(t -> t.contains("bytes"));
        }
    }

    @Test
    void publishesAgainOnlyWhatChangedAndComputesMovingAverages() throws Exception {
        try (TestContext ctx = TestContext.of(SysTopicsPlugin.class, Map.of("interval", 0))) {
            SysTopicsPlugin p = new SysTopicsPlugin(ctx);
            metrics(ctx, 4, 6, 100, 250);
            ctx.metrics.put("bytes.received", 1000L);
            ctx.metrics.put("bytes.sent", 2000L);
            p.update();
            assertThat(last(ctx)).containsEntry("$SYS/broker/bytes/received", "1000")
                    .containsEntry("$SYS/broker/load/bytes/sent/1min", "0.00");
            ctx.published.clear();
            long before = System.nanoTime();
            await().atMost(Duration.ofSeconds(2)).until(() -> System.nanoTime() - before > 50_000_000L);
            metrics(ctx, 2, 6, 160, 250);
            p.update();
            Map<String, String> v = last(ctx);
            assertThat(v).containsEntry("$SYS/broker/clients/connected", "2")
                    .containsEntry("$SYS/broker/messages/received", "160")
                    .doesNotContainKeys("$SYS/broker/clients/maximum", "$SYS/broker/messages/sent",
                            "$SYS/broker/load/messages/sent/1min", "$SYS/broker/retained messages/count",
                            "$SYS/broker/bytes/received");
            // 60 messages in a short time: a high rate per minute, decaying least over 15 minutes
            double one = Double.parseDouble(v.get("$SYS/broker/load/messages/received/1min"));
            double five = Double.parseDouble(v.get("$SYS/broker/load/messages/received/5min"));
            double fifteen = Double.parseDouble(v.get("$SYS/broker/load/messages/received/15min"));
            assertThat(one).isGreaterThan(five);
            assertThat(five).isGreaterThan(fifteen);
            assertThat(fifteen).isPositive();
            assertThat(v.get("$SYS/broker/load/messages/received/1min")).matches("\\d+\\.\\d\\d");
        }
    }

    @Test
    void updatesAtTheInterval() {
        try (TestContext ctx = TestContext.of(SysTopicsPlugin.class, Map.of("interval", "100ms"))) {
            SysTopicsPlugin p = new SysTopicsPlugin(ctx);
            metrics(ctx, 1, 1, 0, 0);
            p.onBrokerPostStart();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(last(ctx))
                    .containsKey("$SYS/broker/clients/connected"));
            ctx.metrics.put("connections.current", 5L);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(last(ctx))
                    .containsEntry("$SYS/broker/clients/connected", "5")
                    .containsEntry("$SYS/broker/clients/maximum", "5"));
            p.close();
            assertThat(List.copyOf(ctx.published)).isNotEmpty();
        }
    }
}
