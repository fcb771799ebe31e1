package io.mast.bench;

import io.mast.broker.MastBroker;
import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.policy.Policy;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.plugins.AclFilePlugin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the broker's decisions cost one message from one publisher to one subscriber: the PUBLISH check of the
 * publisher and the RECEIVE check of the subscriber, through the broker's real policy (the plugin runtime and its
 * metrics), without plugins ({@code none}) and with {@link AclFilePlugin} and the ACL file of {@code bench/mast-only.sh}
 * ({@code acl}). The broker is built, not started: no sockets. The difference between the two, set against the
 * broker's CPU time per message measured end to end (docs/benchmarks.md), is the share of the ACL plugin.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PluginDecisionBenchmark {

    @Param({"none", "acl"})
    public String plugins;

    private Path dir;
    private MastBroker broker;
    private Policy policy;
    private ConnectionInfo publisher;
    private ConnectionInfo subscriber;
    private BrokerMessage message;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("mast-bench-acl");
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "topic readwrite bench/#\npattern readwrite clients/%c/#\n");
        MastBroker.Builder b = MastBroker.builder().bind("127.0.0.1").port(0);
        if (plugins.equals("acl")) {
            b.plugin(AclFilePlugin.class, Map.of("acl_file", acl.toString()));
        }
        broker = b.build();
        policy = broker.core().policy();
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 40000);
        publisher = new ConnectionInfo("bench-pub-1", null, MqttVersion.MQTT_5, from, 1883, "tcp", 60, true, 0);
        subscriber = new ConnectionInfo("bench-sub-1", null, MqttVersion.MQTT_5, from, 1883, "tcp", 60, true, 0);
        message = new BrokerMessage("bench/1", "x".repeat(64).getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE,
                false, MqttProperties.EMPTY, "bench-pub-1", System.currentTimeMillis(), 0);
        if (!publishAndReceive()) {
            throw new IllegalStateException("the benchmark's message is not allowed: " + plugins);
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        broker.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** Both checks of one message delivered 1 → 1; true when both allow it. */
    @Benchmark
    public boolean publishAndReceive() {
        boolean sent = policy.authorizePublish(publisher, message).toCompletableFuture().join().allowed();
        boolean received = !policy.checksReceive()
                || policy.authorizeReceive(subscriber, message).toCompletableFuture().join();
        return sent & received;
    }
}
