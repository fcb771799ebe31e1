package io.mast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mast.broker.config.LoggingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingTest {

    @TempDir
    Path dir;

    @AfterEach
    void backToDefaults() {
        Logging.apply(LoggingConfig.defaults());
    }

    @Test
    void jsonLinesCarryTheFormattedMessageAndLevelsApplyPerLogger() throws IOException {
        Path file = dir.resolve("mast.log");
        Logging.apply(new LoggingConfig("warn", Map.of("io.mast.test.chatty", "debug"), "json", file.toString(),
                null, null, null));
        LoggerFactory.getLogger("io.mast.test.chatty.Inner").debug("client {} connected from {}", "c1", "127.0.0.1");
        LoggerFactory.getLogger("io.mast.test.quiet").info("not written: below warn");
        LoggerFactory.getLogger("io.mast.test.quiet").warn("written: {}", 42, new IllegalStateException("boom"));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.path("level").asText()).isEqualTo("DEBUG");
        assertThat(first.path("loggerName").asText()).isEqualTo("io.mast.test.chatty.Inner");
        assertThat(first.path("formattedMessage").asText()).isEqualTo("client c1 connected from 127.0.0.1");
        assertThat(first.path("timestamp").asLong()).isPositive();
        JsonNode second = json.readTree(lines.get(1));
        assertThat(second.path("formattedMessage").asText()).isEqualTo("written: 42");
        assertThat(second.path("throwable").path("message").asText()).isEqualTo("boom");
        assertThat(Logging.levels()).containsEntry("ROOT", "warn").containsEntry("io.mast.test.chatty", "debug");
    }

    @Test
    void theFileRotatesBySizeKeepingMaxFiles() {
        Path file = dir.resolve("broker.log");
        Logging.apply(new LoggingConfig("info", null, "text", file.toString(), "1KB", 2, null));
        Logger log = LoggerFactory.getLogger("io.mast.test.rotation");
        String line = "x".repeat(200);
        // The size is checked at most every few hundred milliseconds: write until two rotations are seen (bounded).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (int i = 0; i < 20; i++) {
                log.info(line);
            }
            return Files.exists(dir.resolve("broker.2.log"));
        });
        for (int i = 0; i < 200 && !Files.exists(dir.resolve("broker.3.log")); i++) {
            log.info(line);
        }
        assertThat(dir.resolve("broker.log")).exists();
        assertThat(dir.resolve("broker.1.log")).exists();
        assertThat(dir.resolve("broker.3.log")).doesNotExist();
    }

    @Test
    void levelsChangeWhileRunning() {
        Logging.apply(LoggingConfig.defaults());
        Logging.level("io.mast.test.live", "trace");
        assertThat(LoggerFactory.getLogger("io.mast.test.live.X").isTraceEnabled()).isTrue();
        Logging.level("io.mast.test.live", null);
        assertThat(LoggerFactory.getLogger("io.mast.test.live.X").isTraceEnabled()).isFalse();
        Logging.level("root", "error");
        assertThat(LoggerFactory.getLogger("io.mast.test.other").isWarnEnabled()).isFalse();
    }
}
