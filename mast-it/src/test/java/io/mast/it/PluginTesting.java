package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.mast.plugin.BrokerPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * What the plugin integration tests ({@code Plugin*IT}) share: the broker's plugin metrics, a gate that holds a
 * plugin until the test lets it go, the log lines the broker wrote, and plugin jars compiled and packed at test time
 * (so that they are loaded from a jar by their own class loader, never from the test class path).
 */
final class PluginTesting {

    /** The bound of every wait in the plugin tests. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private PluginTesting() {
    }

    // ---- Metrics ----

    /** A plugin's metric: {@code plugin.<class name>.<name>}, e.g. {@code authenticate.errors}. */
    static long pluginMetric(MastBrokerExtension broker, Class<?> plugin, String name) {
        return broker.broker().metrics().value("plugin." + plugin.getName() + "." + name);
    }

    /** Waits until a plugin's metric reaches at least {@code atLeast}. */
    static void awaitPluginMetric(MastBrokerExtension broker, Class<?> plugin, String name, long atLeast) {
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(pluginMetric(broker, plugin, name)).as("plugin.%s.%s", plugin.getName(), name)
                        .isGreaterThanOrEqualTo(atLeast));
    }

    /** The names of all metrics a plugin has in the broker's registry, without the {@code plugin.<class>.} prefix. */
    static List<String> pluginMetricNames(MastBrokerExtension broker, Class<?> plugin) {
        String prefix = "plugin." + plugin.getName() + ".";
        return broker.broker().metrics().snapshot().keySet().stream().filter(k -> k.startsWith(prefix))
                .map(k -> k.substring(prefix.length())).toList();
    }

    // ---- Holding a plugin ----

    /**
     * Holds the plugin threads that {@link #pass()} through it until the test {@link #open()}s it; a plugin is never
     * held longer than {@code limit}, so a failing test cannot leave threads behind.
     */
    static final class Gate {
        private final Duration limit;
        private volatile CountDownLatch open = new CountDownLatch(1);
        private volatile CountDownLatch entered = new CountDownLatch(1);

        Gate(Duration limit) {
            this.limit = limit;
        }

        /** Called by a plugin: blocks until the gate is opened (or the limit passed). */
        void pass() throws InterruptedException {
            entered.countDown();
            open.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Waits until a plugin is held by the gate. */
        void awaitEntered() throws InterruptedException {
            assertThat(entered.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("a plugin reached the gate").isTrue();
        }

        void open() {
            open.countDown();
        }

        /** Closes the gate again for the next test (opening it first for anything still held). */
        void reset() {
            open.countDown();
            open = new CountDownLatch(1);
            entered = new CountDownLatch(1);
        }
    }

    // ---- Log lines ----

    /**
     * Collects what the broker logs (every logger, at the levels logback-test.xml lets through) during each test.
     * Register it as an instance field: {@code @RegisterExtension final Logs logs = new Logs();}.
     */
    static final class Logs implements BeforeEachCallback, AfterEachCallback {
        private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
        private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                events.add(e);
            }
        };

        private static Logger root() {
            return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            appender.setContext(root().getLoggerContext());
            appender.start();
            root().addAppender(appender);
        }

        @Override
        public void afterEach(ExtensionContext context) {
            root().detachAppender(appender);
            appender.stop();
        }

        /** The lines so far as {@code LEVEL logger: message}. */
        List<String> lines() {
            List<String> out = new ArrayList<>();
            for (ILoggingEvent e : events) {
                out.add(e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage());
            }
            return out;
        }

        /** Waits until a line matches, and returns it. */
        String await(String description, Predicate<String> line) {
            org.awaitility.Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(lines()).as(description)
                    .anyMatch(line));
            return lines().stream().filter(line).findFirst().orElseThrow();
        }
    }

    // ---- Plugin jars ----

    /**
     * Compiles Java sources (by fully qualified class name) against the plugin API and SLF4J alone, as a plugin
     * project does, into {@code dir/classes}; returns that folder.
     */
    static Path compile(Path dir, Map<String, String> sources) throws IOException {
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--release", "21", "-proc:none",
                "-classpath", location(BrokerPlugin.class) + java.io.File.pathSeparator + location(org.slf4j.Logger.class)));
        for (Map.Entry<String, String> s : sources.entrySet()) {
            Path file = src.resolve(s.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, s.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK with javac runs the tests").isNotNull();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int rc = javac.run(null, err, err, args.toArray(String[]::new));
        assertThat(rc).as("javac: %s", err.toString(StandardCharsets.UTF_8)).isZero();
        return classes;
    }

    /** Packs a folder of classes, plus resources (path to text), into a jar. */
    static Path jar(Path jar, Path classes, Map<String, String> resources) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
            for (Map.Entry<String, String> r : resources.entrySet()) {
                j.putNextEntry(new JarEntry(r.getKey()));
                j.write(r.getValue().getBytes(StandardCharsets.UTF_8));
                j.closeEntry();
            }
        }
        return jar;
    }

    /** Where a class was loaded from (a jar or a classes folder). */
    static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
