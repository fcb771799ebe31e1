package io.mast.it;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.mast.testkit.MastBrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** What the SDK integration tests ({@code ExHookSdk*IT}) share. */
final class ExHookSdkTesting {

    /** The bound of every wait; generous, as a Python hook server shares two cores with the build. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** The repository's root (the tests run in mast-it). */
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private ExHookSdkTesting() {
    }

    /** The {@code exhook:} section with these servers, as the plugin's options. */
    static Map<String, Object> exhook(List<Map<String, Object>> servers) {
        return Map.of("servers", servers);
    }

    /** A free TCP port of 127.0.0.1, for a hook server that the broker starts (it cannot report its port). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An MQTT 5.0 client (HiveMQ) connected with this identifier ("" for none) and user name (null for none). */
    static Mqtt5BlockingClient connect(MastBrokerExtension broker, String id, String username) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        var connect = c.connectWith();
        if (username != null) {
            connect.simpleAuth().username(username).password("pw".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        connect.send();
        return c;
    }

    /** Reads a file, or "" while it does not exist. */
    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Closes things after the class's broker stopped: register it with a lower {@code @Order} than the broker's
     * extension (after-all callbacks run in reverse order).
     */
    static final class Cleanup implements AfterAllCallback {
        private final List<AutoCloseable> closeables;

        Cleanup(AutoCloseable... closeables) {
            this.closeables = List.of(closeables);
        }

        /** Deletes a directory and everything in it. */
        static AutoCloseable deleting(Path dir) {
            return () -> {
                if (!Files.exists(dir)) {
                    return;
                }
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            };
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            for (AutoCloseable c : closeables) {
                c.close();
            }
        }
    }
}
