package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A plugin that cannot be loaded stops {@code mast broker -c FILE} with exit code 2 and exactly one line naming the
 * file and line, the key ({@code plugins.<class>.<option>}) and what is expected. The plugins are compiled at test
 * time into a jar in the config's {@code plugin_dir}, as a user deploys them.
 */
class PluginConfigErrorsIT {

    @TempDir
    static Path dir;

    static Path plugins;

    private static final String PKG = "org.example.conf";

    @BeforeAll
    static void buildPluginJar() throws Exception {
        Path classes = PluginTesting.compile(dir.resolve("build"), Map.of(
                PKG + ".Opts", """
                        package org.example.conf;
                        import io.mast.plugin.*;
                        public final class Opts extends BrokerPlugin {
                            public record Config(int port, @Default("x") String name) {}
                            public Opts(BrokerContext c) { super(c); }
                        }
                        """,
                PKG + ".NoCtor", """
                        package org.example.conf;
                        import io.mast.plugin.*;
                        public final class NoCtor extends BrokerPlugin {
                            public NoCtor(String wrong) { super(null); }
                        }
                        """,
                PKG + ".Explodes", """
                        package org.example.conf;
                        import io.mast.plugin.*;
                        public final class Explodes extends BrokerPlugin {
                            public Explodes(BrokerContext c) {
                                super(c);
                                throw new IllegalStateException("database unreachable");
                            }
                        }
                        """));
        plugins = dir.resolve("plugins");
        PluginTesting.jar(plugins.resolve("conf-plugins.jar"), classes, Map.of());
    }

    static Stream<Arguments> errors() {
        String opts = "plugins." + PKG + ".Opts";
        return Stream.of(
                Arguments.of("unknown option", PKG + ".Opts:\n    port: 1\n    colour: red\n",
                        5, opts + ".colour: unknown option; expected one of: name, port"),
                Arguments.of("wrong type", PKG + ".Opts:\n    port: eighty\n",
                        4, opts + ".port: expected an integer, got \"eighty\""),
                Arguments.of("missing required option", PKG + ".Opts:\n    name: y\n",
                        3, opts + ".port: missing required option port (an integer)"),
                Arguments.of("class not found", PKG + ".Nope:\n",
                        3, "plugins." + PKG + ".Nope: class not found (looked in the class path and in the jars of "
                                + "the plugin folder)"),
                Arguments.of("not a plugin", "java.lang.String:\n",
                        3, "plugins.java.lang.String: java.lang.String is not a plugin: it must extend "
                                + "io.mast.plugin.BrokerPlugin"),
                Arguments.of("no BrokerContext constructor", PKG + ".NoCtor:\n",
                        3, "plugins." + PKG + ".NoCtor: needs a public constructor taking a BrokerContext"),
                Arguments.of("bad failed_action", PKG + ".Opts:\n    port: 1\n    failed_action: maybe\n",
                        5, opts + ".failed_action: expected deny or ignore, got \"maybe\""),
                Arguments.of("bad decision_timeout", PKG + ".Opts:\n    port: 1\n    decision_timeout: soon\n",
                        5, opts + ".decision_timeout: expected a positive duration such as 500ms or 5s, got \"soon\""),
                Arguments.of("zero decision_timeout", PKG + ".Opts:\n    decision_timeout: 0s\n    port: 1\n",
                        4, opts + ".decision_timeout: expected a positive duration such as 500ms or 5s, got \"0s\""),
                Arguments.of("constructor that throws", PKG + ".Explodes:\n",
                        3, "plugins." + PKG + ".Explodes: the plugin failed to start: database unreachable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void aPluginThatCannotBeLoadedStopsTheBrokerWithOneLine(String name, String declaration, int line, String message)
            throws Exception {
        Path config = dir.resolve(name.replace(' ', '-') + ".yaml");
        String indented = declaration.lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
        Files.writeString(config, "plugin_dir: " + plugins + "\nplugins:\n" + indented);
        Path workDir = Files.createDirectories(dir.resolve("work-" + name.replace(' ', '-')));
        try (MastProcess mast = MastProcess.startIn(workDir, "broker", "--port", "0", "-c", config.toString())) {
            assertThat(mast.awaitExit(Duration.ofSeconds(30))).as("exit code").isEqualTo(2);
            List<String> out = mast.outputAfterExit().stream().filter(l -> !l.startsWith("WARNING")).toList();
            assertThat(out).containsExactly("mast: " + config + ":" + line + ": " + message);
        }
        if (!name.equals("constructor that throws")) {
            // A config error is found before anything is opened: no store was created in ./data.
            assertThat(workDir.resolve("data")).as("the store of a broker whose config is wrong").doesNotExist();
        }
    }
}
