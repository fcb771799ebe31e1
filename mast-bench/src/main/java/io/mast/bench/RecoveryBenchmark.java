package io.mast.bench;

import io.mast.broker.MastBroker;
import io.mast.broker.config.BrokerConfig;
import io.mast.broker.config.StorageConfig;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.store.Persistence;
import io.mast.broker.store.rocksdb.RocksDbPersistence;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recovery from RocksDB (issue 6): a store with 10,000 persistent sessions, each with one subscription and 10 queued
 * QoS 1 messages of 64 bytes (100,000 messages in all), is written once; then each iteration measures
 * {@code load} (open the store and read everything back, {@link Persistence#load()}) or {@code brokerStart} (a
 * broker starting on the store: load, and restore of the sessions, subscriptions and queues, until it listens).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RecoveryBenchmark {

    static final int SESSIONS = 10_000;
    static final int MESSAGES_PER_SESSION = 10;

    private Path dir;

    @Setup(Level.Trial)
    public void write() throws IOException {
        dir = Files.createTempDirectory("mast-recovery-bench");
        try (RocksDbPersistence store = RocksDbPersistence.open(config())) {
            long now = System.currentTimeMillis();
            byte[] payload = new byte[64];
            for (int s = 0; s < SESSIONS; s++) {
                String id = "client-" + s;
                store.sessionSaved(new Persistence.SessionRecord(id, 5, 0xFFFF_FFFFL, now, null));
                store.subscriptionAdded(id, new Persistence.StoredSubscription("site/" + s + "/#", Qos.AT_LEAST_ONCE,
                        false, false, io.mast.codec.packet.RetainHandling.SEND_ON_SUBSCRIBE, 0));
                for (int m = 0; m < MESSAGES_PER_SESSION; m++) {
                    BrokerMessage msg = new BrokerMessage("site/" + s + "/device/" + m, payload, Qos.AT_LEAST_ONCE,
                            false, MqttProperties.EMPTY, "publisher", now, 0);
                    store.deliveryStored(id, m + 1, msg, Qos.AT_LEAST_ONCE, false, List.of());
                }
            }
            store.barrier().join();
        }
    }

    private StorageConfig config() {
        return new StorageConfig("rocksdb", dir.toString(), "never", null);
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public int load() {
        try (RocksDbPersistence store = RocksDbPersistence.open(config())) {
            Persistence.Snapshot s = store.load();
            int messages = 0;
            for (Persistence.StoredSession session : s.sessions()) {
                messages += session.outbound().size();
            }
            if (s.sessions().size() != SESSIONS || messages != SESSIONS * MESSAGES_PER_SESSION) {
                throw new IllegalStateException("loaded " + s.sessions().size() + " sessions, " + messages + " messages");
            }
            return messages;
        }
    }

    @Benchmark
    public int brokerStart() {
        BrokerConfig c = BrokerConfig.defaults().withStorage(config()).withFirstListener("127.0.0.1", 0);
        try (MastBroker broker = MastBroker.builder().config(c).build()) {
            broker.start().join();
            return broker.port();
        }
    }
}
