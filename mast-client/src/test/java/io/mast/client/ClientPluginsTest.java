package io.mast.client;

import static io.mast.client.MastClientFlowTest.get;
import static io.mast.client.MastClientFlowTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mast.client.plugins.PacketLoggerPlugin;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.Publish;
import io.mast.plugin.ClientContext;
import io.mast.plugin.ClientPlugin;
import io.mast.plugin.Default;
import io.mast.plugin.PacketInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Client plugins: declaration in code and YAML, strict options, events in order, failures contained. */
class ClientPluginsTest {

    /** Records every event, with the thread it ran on. */
    public static final class Recorder extends ClientPlugin {
        static final List<String> EVENTS = new CopyOnWriteArrayList<>();
        static final List<String> THREADS = new CopyOnWriteArrayList<>();

        public record Config(@Default("rec") String prefix, @Default("1s") Duration period) {
        }

        private final String prefix;

        public Recorder(ClientContext context) {
            super(context);
            prefix = config(Config.class).prefix();
            context.metrics().counter("created").increment();
        }

        private void record(String event) {
            EVENTS.add(prefix + " " + event);
            THREADS.add(Thread.currentThread().getName());
        }

        @Override
        public void onConnected(boolean sessionPresent) {
            record("connected " + sessionPresent + " as " + context().clientId());
        }

        @Override
        public void onDisconnected(int reasonCode, String reason) {
            record("disconnected " + reasonCode);
        }

        @Override
        public void onPacketSent(PacketInfo packet) {
            record("sent " + packet.type() + (packet.packetId() == 0 ? "" : " " + packet.packetId()));
        }

        @Override
        public void onPacketReceived(PacketInfo packet) {
            record("received " + packet.type() + (packet.packetId() == 0 ? "" : " " + packet.packetId()));
        }

        @Override
        public void close() {
            record("closed");
        }
    }

    /** Throws from every event. */
    public static final class Thrower extends ClientPlugin {
        public Thrower(ClientContext context) {
            super(context);
        }

        @Override
        public void onConnected(boolean sessionPresent) {
            throw new IllegalStateException("plugin bug on connect");
        }

        @Override
        public void onPacketSent(PacketInfo packet) {
            throw new IllegalStateException("plugin bug on send");
        }
    }

    /** Not a plugin. */
    public static final class NotAPlugin {
    }

    private FakeBroker broker;
    private MastClient client;

    @BeforeEach
    void start() throws InterruptedException {
        broker = FakeBroker.start();
        Recorder.EVENTS.clear();
        Recorder.THREADS.clear();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        broker.close();
    }

    @Test
    void eventsArriveInOrderOnTheClientsPluginThreadAndAThrowingPluginChangesNothing() throws Exception {
        client = broker.client("c-plugins")
                .plugin(Thrower.class, Map.of())
                .plugin(Recorder.class, Map.of("prefix", "R"))
                .build();
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        get(connected);
        CompletableFuture<PublishResult> f = client.publish("p/1", utf8("x"), Qos.AT_LEAST_ONCE);
        Publish p = c.expect(Publish.class);
        c.send(new PubAck(p.packetId()));
        assertThat(get(f).isSuccess()).as("the throwing plugin does not affect publishing").isTrue();
        client.close();
        client = null;
        assertThat(Recorder.EVENTS).containsExactly(
                "R sent CONNECT", "R received CONNACK", "R connected false as c-plugins",
                "R sent PUBLISH " + p.packetId(), "R received PUBACK " + p.packetId(),
                "R sent DISCONNECT", "R disconnected 0", "R closed");
        assertThat(Recorder.THREADS).allMatch(t -> t.startsWith("mast-client-plugins-"));
        assertThat(Recorder.THREADS).containsOnly(Recorder.THREADS.get(0));
    }

    @Test
    void pluginMetricsAreReadable() throws Exception {
        client = broker.client("c-metrics").plugin(Recorder.class, Map.of()).build();
        assertThat(client.metrics()).containsEntry("plugin." + Recorder.class.getName() + ".created", 1L);
    }

    @Test
    void aWrongOptionFailsTheBuildNamingTheKey() {
        assertThatThrownBy(() -> broker.client("c").plugin(Recorder.class, Map.of("period", "soon")).build())
                .isInstanceOf(ClientConfigException.class)
                .hasMessageStartingWith("plugins." + Recorder.class.getName() + ".period: expected a duration");
        assertThatThrownBy(() -> broker.client("c").plugin(Recorder.class, Map.of("colour", "red")).build())
                .isInstanceOf(ClientConfigException.class)
                .hasMessageStartingWith("plugins." + Recorder.class.getName() + ".colour: unknown option");
        assertThatThrownBy(() -> broker.client("c").plugin(Thrower.class, Map.of("x", 1)).build())
                .hasMessageContaining("the plugin takes no options");
        assertThatThrownBy(() -> broker.client("c").plugin(NotAPlugin.class.getName(), Map.of()).build())
                .hasMessageContaining("is not a client plugin");
        assertThatThrownBy(() -> broker.client("c").plugin("com.example.Missing", Map.of()).build())
                .hasMessage("plugins.com.example.Missing: class not found on the class path");
    }

    @Test
    void yamlConfigDeclaresPluginsAndItsErrorsNameFileLineAndKey(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("client.yaml");
        Files.writeString(good, """
                plugins:
                  %s:
                    prefix: Y
                  io.mast.client.plugins.PacketLoggerPlugin:
                """.formatted(Recorder.class.getName()));
        client = broker.client("c-yaml").config(good).build();
        CompletableFuture<ConnectResult> connected = client.connect();
        broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        get(connected);
        await().atMost(FakeBroker.TIMEOUT).until(() -> Recorder.EVENTS.contains("Y connected false as c-yaml"));

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                plugins:
                  io.mast.client.plugins.PacketLoggerPlugin:
                    level: loud
                """);
        assertThatThrownBy(() -> broker.client("c").config(bad).build())
                .isInstanceOf(ClientConfigException.class)
                .hasMessage(bad + ":3: plugins.io.mast.client.plugins.PacketLoggerPlugin.level: "
                        + "expected one of error, warn, info, debug, trace, got \"loud\"");
        Path unknown = dir.resolve("unknown.yaml");
        Files.writeString(unknown, "plugin:\n  x:\n");
        assertThatThrownBy(() -> broker.client("c").config(unknown))
                .hasMessage(unknown + ":1: plugin: unknown key; expected: plugins");
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "plugins: [\n");
        assertThatThrownBy(() -> broker.client("c").config(broken)).hasMessageStartingWith(broken + ":")
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> broker.client("c").config(dir.resolve("missing.yaml")))
                .hasMessageEndingWith("missing.yaml: cannot read the client config: it does not exist");
    }

    @Test
    void packetLoggerLogsEveryPacketAtTheConfiguredLevel() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(PacketLoggerPlugin.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        ch.qos.logback.classic.Level before = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            client = broker.client("c-logger").plugin(PacketLoggerPlugin.class, Map.of("level", "debug")).build();
            CompletableFuture<ConnectResult> connected = client.connect();
            FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
            get(connected);
            client.publish("log/me", utf8("secret payload"), Qos.AT_MOST_ONCE);
            c.expect(Publish.class);
            await().atMost(FakeBroker.TIMEOUT).until(() -> appender.list.size() >= 3);
            List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(lines.get(0)).startsWith("c-logger sent CONNECT Connect[version=5.0").contains("password=none");
            assertThat(lines.get(1)).startsWith("c-logger received CONNACK");
            assertThat(lines.get(2)).startsWith("c-logger sent PUBLISH").contains("topic=log/me")
                    .contains("payload=14 bytes").doesNotContain("secret");
            assertThat(appender.list).allMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.DEBUG);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
    }
}
