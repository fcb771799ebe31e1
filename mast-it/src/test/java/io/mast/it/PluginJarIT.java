package io.mast.it;

import static io.mast.it.PluginTesting.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mast.broker.MastBroker;
import io.mast.broker.config.ConfigLoader;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.plugin.BrokerPlugin;
import io.mast.testkit.RawMqttClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins in jars of the {@code plugin_dir} folder: each jar has its own class loader, so a plugin may bundle its own
 * version of a library the broker also uses (here a Jackson {@code ObjectMapper} of its own) without either seeing
 * the other's; it gets the plugin API and SLF4J from the broker and cannot see the broker's internals. A jar listing
 * a plugin in {@code META-INF/services/io.mast.plugin.BrokerPlugin} is loaded without a {@code plugins:} entry, after
 * the declared ones. The jars are compiled and packed by the test, so nothing of them is on the test class path.
 */
class PluginJarIT {

    @TempDir
    static Path dir;

    static Path pluginDir;

    @BeforeAll
    static void buildJars() throws Exception {
        pluginDir = dir.resolve("plugins");
        Path reporter = PluginTesting.compile(dir.resolve("reporter"), Map.of(
                "org.example.jar.Reporter", """
                        package org.example.jar;

                        import com.fasterxml.jackson.databind.ObjectMapper;
                        import io.mast.plugin.*;

                        /** Reports what its class loader gives it in a retained message; denies jar/secret/#. */
                        public final class Reporter extends BrokerPlugin implements TopicPlugin {
                            public record Config(@Default("jar/report") String topic, int answer) {}

                            public Reporter(BrokerContext c) { super(c); }

                            static String visible(String name) {
                                try {
                                    Class.forName(name);
                                    return "visible";
                                } catch (ClassNotFoundException e) {
                                    return "hidden";
                                }
                            }

                            @Override
                            public void onBrokerPostStart() {
                                String report = String.join(";",
                                        "mapper=" + new ObjectMapper().version(),
                                        "loader=" + getClass().getClassLoader().getName(),
                                        "api=" + System.identityHashCode(BrokerPlugin.class),
                                        "slf4j=" + System.identityHashCode(org.slf4j.Logger.class),
                                        "broker=" + visible("io.mast.broker.MastBroker"),
                                        "runtime=" + visible("io.mast.broker.plugin.PluginRuntime"),
                                        "support=" + visible("io.mast.plugin.support.YamlTree"),
                                        "binder=" + visible("io.mast.plugin.support.OptionsBinder"),
                                        "filters=" + visible("io.mast.plugin.TopicFilters"),
                                        "netty=" + visible("io.netty.channel.Channel"),
                                        "answer=" + config(Config.class).answer());
                                context().setRetained(Message.builder(config(Config.class).topic()).payload(report).build());
                                log().info("Reporter started: {}", report);
                            }

                            @Override
                            @NonBlocking
                            public Decision authorize(ClientInfo client, TopicAction action, String topic) {
                                return topic.startsWith("jar/secret") ? Decision.DENY : Decision.ABSTAIN;
                            }
                        }
                        """,
                // The plugin's own "version" of a library the broker uses too.
                "com.fasterxml.jackson.databind.ObjectMapper", """
                        package com.fasterxml.jackson.databind;

                        public class ObjectMapper {
                            public String version() { return "bundled-0.0.1"; }
                        }
                        """));
        PluginTesting.jar(pluginDir.resolve("reporter.jar"), reporter, Map.of());

        Path discovered = PluginTesting.compile(dir.resolve("discovered"), Map.of(
                "org.example.svc.Discovered", """
                        package org.example.svc;

                        import io.mast.plugin.*;

                        /** Found through the ServiceLoader file; denies svc/denied. */
                        @NonBlocking
                        public final class Discovered extends BrokerPlugin implements TopicPlugin {
                            public Discovered(BrokerContext c) { super(c); }

                            @Override
                            public Decision authorize(ClientInfo client, TopicAction action, String topic) {
                                return topic.equals("svc/denied") ? Decision.DENY : Decision.ABSTAIN;
                            }
                        }
                        """));
        PluginTesting.jar(pluginDir.resolve("discovered.jar"), discovered, Map.of(
                "META-INF/services/io.mast.plugin.BrokerPlugin", "# found without a plugins: entry\norg.example.svc.Discovered\n"));
    }

    private static MastBroker start(String yaml) throws Exception {
        Path config = dir.resolve("mast.yaml");
        Files.writeString(config, """
                listeners:
                  - type: tcp
                    bind: 127.0.0.1
                    port: 0
                plugin_dir: %s
                """.formatted(pluginDir) + yaml);
        MastBroker broker = MastBroker.builder().config(new ConfigLoader().load(config, Map.of())).build();
        broker.start().join();
        return broker;
    }

    private static Map<String, String> report(Publish p) {
        return Arrays.stream(V5Clients.text(p.payload()).split(";")).map(kv -> kv.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    }

    private static ReasonCode subscribe(RawMqttClient c, int packetId, String filter) throws Exception {
        c.send(new Subscribe(packetId, List.of(new Subscription(filter, Qos.AT_MOST_ONCE)), MqttProperties.EMPTY));
        return c.expect(SubAck.class, TIMEOUT).reasonCodes().get(0);
    }

    @Test
    void aPluginJarHasItsOwnClassLoaderAndSharesOnlyTheApiWithTheBroker() throws Exception {
        assertThatThrownBy(() -> Class.forName("org.example.jar.Reporter")).as("not on the test class path")
                .isInstanceOf(ClassNotFoundException.class);
        try (MastBroker broker = start("""
                plugins:
                  org.example.jar.Reporter:
                    answer: 42
                """);
             RawMqttClient c = RawProtocol.connected(broker.port(), MqttVersion.MQTT_5)) {
            assertThat(broker.plugins().names()).containsExactly("org.example.jar.Reporter", "org.example.svc.Discovered");

            assertThat(subscribe(c, 1, "jar/report")).isEqualTo(ReasonCode.GRANTED_QOS_0);
            Map<String, String> report = report(c.expect(Publish.class, TIMEOUT));
            assertThat(report).containsEntry("mapper", "bundled-0.0.1")
                    .containsEntry("loader", "plugin:reporter.jar")
                    .containsEntry("api", String.valueOf(System.identityHashCode(BrokerPlugin.class)))
                    .containsEntry("slf4j", String.valueOf(System.identityHashCode(org.slf4j.Logger.class)))
                    .containsEntry("broker", "hidden")
                    .containsEntry("runtime", "hidden")
                    .containsEntry("support", "hidden")
                    .containsEntry("binder", "hidden")
                    .containsEntry("filters", "visible")
                    .containsEntry("netty", "hidden")
                    .containsEntry("answer", "42");
            // The broker's own Jackson is untouched by the plugin's: it bound the plugin's options above, and is real.
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().version().getMajorVersion()).isEqualTo(2);

            // The plugin decides like any other.
            assertThat(subscribe(c, 2, "jar/secret/x")).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        }
    }

    @Test
    void aJarWithTheServiceLoaderFileIsLoadedWithoutAPluginsEntry() throws Exception {
        try (MastBroker broker = start("");
             RawMqttClient c = RawProtocol.connected(broker.port(), MqttVersion.MQTT_5)) {
            assertThat(broker.plugins().names()).containsExactly("org.example.svc.Discovered");
            assertThat(subscribe(c, 1, "svc/denied")).isEqualTo(ReasonCode.NOT_AUTHORIZED);
            assertThat(subscribe(c, 2, "svc/open")).isEqualTo(ReasonCode.GRANTED_QOS_0);
        }
    }
}
