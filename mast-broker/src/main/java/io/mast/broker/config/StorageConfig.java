package io.mast.broker.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Where session state, queued messages and retained messages are kept.
 *
 * @param type          {@code rocksdb} (durable, the default of the {@code mast broker} command) or {@code memory}
 *                      (lost when the broker stops; the default of an embedded broker). Left out: the default of
 *                      whoever starts the broker.
 * @param path          the RocksDB directory (default {@code data})
 * @param sync          {@code always}: every write is on disk (fsync) before the client is acknowledged, so nothing
 *                      acknowledged is ever lost, even on power loss; {@code interval} (default): writes reach the
 *                      operating system before the client is acknowledged (a broker crash or {@code kill -9} loses
 *                      nothing) and are synced to disk every {@code sync_interval} (a machine crash can lose that
 *                      much); {@code never}: as interval, without the periodic sync
 * @param syncInterval  how often {@code interval} syncs (default 1s)
 */
public record StorageConfig(String type, String path, String sync, Duration syncInterval) {

    public StorageConfig {
        if (type != null) {
            type = type.toLowerCase(Locale.ROOT);
            if (!type.equals("rocksdb") && !type.equals("memory")) {
                throw new IllegalArgumentException("type: expected rocksdb or memory, got " + type);
            }
        }
        path = Check.nonEmpty("path", path, "data");
        sync = sync == null ? "interval" : sync.toLowerCase(Locale.ROOT);
        if (!sync.equals("always") && !sync.equals("interval") && !sync.equals("never")) {
            throw new IllegalArgumentException("sync: expected always, interval or never, got " + sync);
        }
        syncInterval = Check.positive("sync_interval", syncInterval, Duration.ofSeconds(1));
    }

    /** All defaults (the type left to whoever starts the broker). */
    public static StorageConfig defaults() {
        return new StorageConfig(null, null, null, null);
    }

    /** This config with a type chosen when the config left it out. */
    public StorageConfig withDefaultType(String defaultType) {
        return type != null ? this : new StorageConfig(defaultType, path, sync, syncInterval);
    }
}
