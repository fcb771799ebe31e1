package io.mast.broker.store.rocksdb;

import io.mast.broker.config.StorageConfig;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.store.Persistence;
import io.mast.broker.store.StorageException;
import io.mast.codec.Qos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable state in an embedded RocksDB. Changes are queued and written by one thread in batches (a group commit), so
 * the network threads never wait on disk; {@link #barrier()} completes once everything queued before it is written
 * (and synced, with {@code sync: always}).
 *
 * <p>Column families: {@code sessions} (client id), {@code subscriptions} (client id, filter), {@code outbound} (client
 * id, sequence: the message), {@code outbound_sent} (client id, sequence: packet id and PUBREC received),
 * {@code inbound_qos2} (client id, packet id), {@code retained} (topic), {@code wills} (client id).
 */
public final class RocksDbPersistence implements Persistence {

    private static final Logger log = LoggerFactory.getLogger(RocksDbPersistence.class);
    private static final List<String> FAMILIES = List.of("sessions", "subscriptions", "outbound", "outbound_sent",
            "inbound_qos2", "retained", "wills");

    static {
        RocksDB.loadLibrary();
    }

    /** A change, applied to a batch by the writer thread. */
    @FunctionalInterface
    private interface Change {
        void apply(WriteBatch batch) throws RocksDBException;
    }

    /** A barrier in the change queue. */
    private record Barrier(CompletableFuture<Void> done) implements Change {
        @Override
        public void apply(WriteBatch batch) {
        }
    }

    private static final Change STOP = batch -> { };

    private final Path dir;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final List<ColumnFamilyHandle> handles;
    private final ColumnFamilyHandle sessions;
    private final ColumnFamilyHandle subscriptions;
    private final ColumnFamilyHandle outbound;
    private final ColumnFamilyHandle outboundSent;
    private final ColumnFamilyHandle inboundQos2;
    private final ColumnFamilyHandle retained;
    private final ColumnFamilyHandle wills;
    private final WriteOptions writeOptions;
    private final LinkedBlockingQueue<Change> changes = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final ScheduledExecutorService syncer;
    private volatile boolean closed;

    private RocksDbPersistence(Path dir, RocksDB db, DBOptions dbOptions, ColumnFamilyOptions cfOptions,
                               List<ColumnFamilyHandle> handles, StorageConfig config) {
        this.dir = dir;
        this.db = db;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.handles = handles;
        this.sessions = handles.get(1);
        this.subscriptions = handles.get(2);
        this.outbound = handles.get(3);
        this.outboundSent = handles.get(4);
        this.inboundQos2 = handles.get(5);
        this.retained = handles.get(6);
        this.wills = handles.get(7);
        this.writeOptions = new WriteOptions().setSync(config.sync().equals("always"));
        this.writer = Thread.ofPlatform().name("mast-store-writer").daemon().start(this::writeLoop);
        if (config.sync().equals("interval")) {
            long ms = config.syncInterval().toMillis();
            syncer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("mast-store-sync").daemon().factory());
            syncer.scheduleWithFixedDelay(this::syncWal, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            syncer = null;
        }
    }

    /**
     * Opens (or creates) the store in a directory.
     *
     * @throws StorageException with one line saying why when it is locked by another process, corrupt or unreadable
     */
    public static RocksDbPersistence open(StorageConfig config) {
        Path dir = Path.of(config.path()).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (Exception e) {
            throw new StorageException("storage " + dir + ": cannot create the directory: " + e.getMessage(), e);
        }
        DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setParanoidChecks(true);
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions().setCompressionType(CompressionType.LZ4_COMPRESSION);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (String f : FAMILIES) {
            descriptors.add(new ColumnFamilyDescriptor(f.getBytes(), cfOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db;
        try {
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            dbOptions.close();
            cfOptions.close();
            throw new StorageException("storage " + dir + ": " + explain(e), e);
        }
        return new RocksDbPersistence(dir, db, dbOptions, cfOptions, handles, config);
    }

    private static String explain(RocksDBException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("lock") || m.contains("LOCK")) {
            return "is in use by another process (another broker with the same storage path?): " + m;
        }
        boolean corruption = e.getStatus() != null && e.getStatus().getCode() == org.rocksdb.Status.Code.Corruption;
        if (corruption || m.contains("Corruption") || m.contains("corrupt")) {
            return "is corrupt; move it away to start empty, or restore a backup: " + m;
        }
        return "cannot be opened: " + m;
    }

    @Override
    public boolean durable() {
        return true;
    }

    // ---- The writer ----

    private void submit(Change c) {
        if (closed) {
            return;
        }
        changes.add(c);
    }

    private void writeLoop() {
        List<Change> drained = new ArrayList<>(1024);
        List<CompletableFuture<Void>> barriers = new ArrayList<>();
        while (true) {
            Change first;
            try {
                first = changes.take();
            } catch (InterruptedException e) {
                return;
            }
            drained.add(first);
            changes.drainTo(drained, 4096);
            boolean stop = false;
            try (WriteBatch batch = new WriteBatch()) {
                for (Change c : drained) {
                    if (c == STOP) {
                        stop = true;
                    } else if (c instanceof Barrier b) {
                        barriers.add(b.done());
                    } else {
                        c.apply(batch);
                    }
                }
                if (batch.count() > 0) {
                    db.write(writeOptions, batch);
                }
                barriers.forEach(f -> f.complete(null));
            } catch (RocksDBException | RuntimeException e) {
                log.error("Writing to the store {} failed: {}", dir, e.getMessage());
                barriers.forEach(f -> f.completeExceptionally(e));
            }
            drained.clear();
            barriers.clear();
            if (stop) {
                return;
            }
        }
    }

    private void syncWal() {
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            log.warn("Syncing the store {} failed: {}", dir, e.getMessage());
        }
    }

    @Override
    public CompletableFuture<Void> barrier() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (closed) {
            f.complete(null);
        } else {
            changes.add(new Barrier(f));
        }
        return f;
    }

    // ---- Changes ----

    @Override
    public void sessionSaved(SessionRecord r) {
        byte[] key = StoredCodec.key(r.clientId());
        byte[] value = StoredCodec.session(r);
        submit(b -> b.put(sessions, key, value));
    }

    @Override
    public void sessionRemoved(String clientId) {
        byte[] key = StoredCodec.key(clientId);
        byte[] from = StoredCodec.prefix(clientId);
        byte[] to = StoredCodec.prefixEnd(clientId);
        submit(b -> {
            b.delete(sessions, key);
            b.delete(wills, key);
            b.deleteRange(subscriptions, from, to);
            b.deleteRange(outbound, from, to);
            b.deleteRange(outboundSent, from, to);
            b.deleteRange(inboundQos2, from, to);
        });
    }

    @Override
    public void subscriptionAdded(String clientId, StoredSubscription s) {
        byte[] key = StoredCodec.key(clientId, s.filter());
        byte[] value = StoredCodec.subscription(s);
        submit(b -> b.put(subscriptions, key, value));
    }

    @Override
    public void subscriptionRemoved(String clientId, String filter) {
        byte[] key = StoredCodec.key(clientId, filter);
        submit(b -> b.delete(subscriptions, key));
    }

    @Override
    public void deliveryStored(String clientId, long sequence, BrokerMessage message, Qos qos, boolean retainFlag,
                               List<Integer> subscriptionIds) {
        byte[] key = StoredCodec.key(clientId, sequence);
        byte[] value = StoredCodec.delivery(message, qos, retainFlag, subscriptionIds, 0, false);
        submit(b -> b.put(outbound, key, value));
    }

    @Override
    public void deliverySent(String clientId, long sequence, int packetId) {
        byte[] key = StoredCodec.key(clientId, sequence);
        byte[] value = sentState(packetId, false);
        submit(b -> b.put(outboundSent, key, value));
    }

    @Override
    public void deliveryReleased(String clientId, long sequence, int packetId) {
        byte[] key = StoredCodec.key(clientId, sequence);
        byte[] value = sentState(packetId, true);
        submit(b -> b.put(outboundSent, key, value));
    }

    private static byte[] sentState(int packetId, boolean released) {
        return new byte[] {(byte) (packetId >> 8), (byte) packetId, (byte) (released ? 1 : 0)};
    }

    @Override
    public void deliveryRemoved(String clientId, long sequence) {
        byte[] key = StoredCodec.key(clientId, sequence);
        submit(b -> {
            b.delete(outbound, key);
            b.delete(outboundSent, key);
        });
    }

    @Override
    public void inboundQos2Received(String clientId, int packetId) {
        byte[] key = StoredCodec.key(clientId, packetId);
        submit(b -> b.put(inboundQos2, key, new byte[0]));
    }

    @Override
    public void inboundQos2Released(String clientId, int packetId) {
        byte[] key = StoredCodec.key(clientId, packetId);
        submit(b -> b.delete(inboundQos2, key));
    }

    @Override
    public void retainedSet(BrokerMessage message) {
        byte[] key = StoredCodec.key(message.topic());
        byte[] value = StoredCodec.message(message);
        submit(b -> b.put(retained, key, value));
    }

    @Override
    public void retainedCleared(String topic) {
        byte[] key = StoredCodec.key(topic);
        submit(b -> b.delete(retained, key));
    }

    @Override
    public void willSaved(String clientId, StoredWill will) {
        byte[] key = StoredCodec.key(clientId);
        byte[] value = StoredCodec.will(will);
        submit(b -> b.put(wills, key, value));
    }

    @Override
    public void willRemoved(String clientId) {
        byte[] key = StoredCodec.key(clientId);
        submit(b -> b.delete(wills, key));
    }

    // ---- Recovery ----

    @Override
    public Snapshot load() {
        long start = System.nanoTime();
        Map<String, SessionRecord> records = new LinkedHashMap<>();
        forEach(sessions, (k, v) -> {
            String id = new String(k, java.nio.charset.StandardCharsets.UTF_8);
            records.put(id, StoredCodec.session(id, v));
        });
        Map<String, List<StoredSubscription>> subs = new HashMap<>();
        forEach(subscriptions, (k, v) -> subs.computeIfAbsent(StoredCodec.owner(k), x -> new ArrayList<>())
                .add(StoredCodec.subscription(StoredCodec.suffix(k), v)));
        Map<String, byte[]> sent = new HashMap<>();
        forEach(outboundSent, (k, v) -> sent.put(new String(k, java.nio.charset.StandardCharsets.ISO_8859_1), v));
        Map<String, List<StoredDelivery>> out = new HashMap<>();
        int[] deliveries = new int[1];
        forEach(outbound, (k, v) -> {
            StoredDelivery d = StoredCodec.delivery(StoredCodec.number(k), v);
            byte[] state = sent.get(new String(k, java.nio.charset.StandardCharsets.ISO_8859_1));
            if (state != null) {
                d = new StoredDelivery(d.sequence(), d.message(), d.qos(), d.retainFlag(), d.subscriptionIds(),
                        ((state[0] & 0xFF) << 8) | (state[1] & 0xFF), state[2] == 1);
            }
            out.computeIfAbsent(StoredCodec.owner(k), x -> new ArrayList<>()).add(d);
            deliveries[0]++;
        });
        Map<String, List<Integer>> qos2 = new HashMap<>();
        forEach(inboundQos2, (k, v) -> qos2.computeIfAbsent(StoredCodec.owner(k), x -> new ArrayList<>())
                .add((int) StoredCodec.number(k)));
        Map<String, StoredWill> willsById = new HashMap<>();
        forEach(wills, (k, v) -> willsById.put(new String(k, java.nio.charset.StandardCharsets.UTF_8), StoredCodec.will(v)));
        List<StoredSession> all = new ArrayList<>(records.size());
        records.forEach((id, r) -> all.add(new StoredSession(r, subs.getOrDefault(id, List.of()),
                out.getOrDefault(id, List.of()), qos2.getOrDefault(id, List.of()), willsById.get(id))));
        List<BrokerMessage> kept = new ArrayList<>();
        forEach(retained, (k, v) -> kept.add(StoredCodec.message(v)));
        log.info("Recovered {} sessions, {} queued or unacknowledged messages and {} retained messages from {} in {} ms",
                all.size(), deliveries[0], kept.size(), dir, (System.nanoTime() - start) / 1_000_000);
        return new Snapshot(all, kept);
    }

    @FunctionalInterface
    private interface Entry {
        void accept(byte[] key, byte[] value);
    }

    private void forEach(ColumnFamilyHandle cf, Entry e) {
        try (RocksIterator it = db.newIterator(cf)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                e.accept(it.key(), it.value());
            }
            it.status();
        } catch (RocksDBException ex) {
            throw new StorageException("storage " + dir + ": " + explain(ex), ex);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        changes.add(STOP);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (syncer != null) {
            syncer.shutdownNow();
        }
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            log.warn("Syncing the store {} at shutdown failed: {}", dir, e.getMessage());
        }
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        writeOptions.close();
        dbOptions.close();
        cfOptions.close();
    }
}
