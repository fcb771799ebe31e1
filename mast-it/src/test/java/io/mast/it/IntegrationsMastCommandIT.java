package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in integrations as a user runs them: declared in mast.yaml and loaded by the shaded {@code mast} command
 * (the services they talk to need not be up for the broker to start), and a misspelt placeholder stopping it with
 * one line.
 */
class IntegrationsMastCommandIT {

    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Path config(String kafkaTopic) throws Exception {
        return Files.writeString(dir.resolve("mast.yaml"), String.join("\n",
                "listeners:",
                "  - type: tcp",
                "    bind: 127.0.0.1",
                "    port: 0",
                "plugins:",
                "  io.mast.kafka.KafkaBridgePlugin:",
                "    bootstrap_servers: 127.0.0.1:1",
                "    routes:",
                "      - filters: [sensors/#]",
                "        topic: " + kafkaTopic,
                "  io.mast.webhook.WebhookPlugin:",
                "    url: http://127.0.0.1:1/hook",
                "  io.mast.postgres.OnlineStatusPlugin:",
                "    url: jdbc:postgresql://127.0.0.1:1/mqtt",
                "  io.mast.postgres.PostgresSinkPlugin:",
                "    url: jdbc:postgresql://127.0.0.1:1/mqtt",
                "    filters: [sensors/#]",
                ""));
    }

    @Test
    void theIntegrationsLoadFromTheConfigOfTheMastCommand() throws Exception {
        try (MastProcess mast = MastProcess.start("broker", "-c", config("mqtt.${topic_level.1}").toString())) {
            mast.awaitPort(START);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(List.copyOf(mast.output))
                    .anyMatch(l -> l.contains("Plugins: io.mast.kafka.KafkaBridgePlugin, "
                            + "io.mast.webhook.WebhookPlugin, io.mast.postgres.OnlineStatusPlugin, "
                            + "io.mast.postgres.PostgresSinkPlugin")));
        }
    }

    @Test
    void aMisspeltPlaceholderStopsTheBrokerWithOneLine() throws Exception {
        Path config = config("mqtt.${clientId}");
        try (MastProcess mast = MastProcess.start("broker", "-c", config.toString())) {
            assertThat(mast.awaitExit(START)).isEqualTo(2);
            assertThat(mast.outputAfterExit()).anyMatch(l -> l.startsWith("mast: " + config + ":6: plugins.io.mast."
                    + "kafka.KafkaBridgePlugin: the plugin failed to start: routes[0].topic: unknown placeholder "
                    + "${clientId}; expected one of: topic, topic_level.N, clientid,"));
        }
    }
}
