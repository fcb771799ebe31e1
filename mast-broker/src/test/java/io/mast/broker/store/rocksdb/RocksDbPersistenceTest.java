package io.mast.broker.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mast.broker.config.StorageConfig;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.store.Persistence;
import io.mast.broker.store.Persistence.SessionRecord;
import io.mast.broker.store.Persistence.StoredSession;
import io.mast.broker.store.Persistence.StoredWill;
import io.mast.broker.store.StorageException;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.codec.packet.RetainHandling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbPersistenceTest {

    @TempDir
    Path dir;

    private StorageConfig config(String sync) {
        return new StorageConfig("rocksdb", dir.resolve("store").toString(), sync, null);
    }

    private static BrokerMessage message(String topic, String payload, long expiresAt) {
        MqttProperties props = MqttProperties.builder().contentType("text/plain").responseTopic("reply/to")
                .correlationData(new byte[] {1, 2}).addUserProperty("k", "v").addUserProperty("k", "w")
                .payloadFormatIndicator(1).build();
        return new BrokerMessage(topic, payload.getBytes(), Qos.EXACTLY_ONCE, true, props, "publisher", 1000, expiresAt);
    }

    private static Persistence.StoredSubscription subscription(String filter, int id) {
        return new Persistence.StoredSubscription(filter, Qos.AT_LEAST_ONCE, true, true,
                RetainHandling.SEND_IF_NEW_SUBSCRIPTION, id);
    }

    @Test
    void everythingWrittenIsReadBackAfterReopening() {
        try (RocksDbPersistence p = RocksDbPersistence.open(config("always"))) {
            p.sessionSaved(new SessionRecord("c1", 5, 3600, 12345, "alice"));
            p.subscriptionAdded("c1", subscription("a/+", 7));
            p.subscriptionAdded("c1", subscription("b/#", 0));
            p.subscriptionRemoved("c1", "b/#");
            p.deliveryStored("c1", 1, message("a/1", "one", 0), Qos.AT_LEAST_ONCE, false, List.of(7));
            p.deliveryStored("c1", 2, message("a/2", "two", 99_000), Qos.EXACTLY_ONCE, true, List.of());
            p.deliveryStored("c1", 3, message("a/3", "three", 0), Qos.AT_LEAST_ONCE, false, List.of());
            p.deliverySent("c1", 1, 41);
            p.deliverySent("c1", 2, 42);
            p.deliveryReleased("c1", 2, 42);
            p.deliveryStored("c1", 4, message("a/4", "done", 0), Qos.AT_LEAST_ONCE, false, List.of());
            p.deliveryRemoved("c1", 4);
            p.inboundQos2Received("c1", 9);
            p.inboundQos2Received("c1", 10);
            p.inboundQos2Released("c1", 9);
            p.willSaved("c1", new StoredWill(message("will/c1", "bye", 0), 30, 0));
            p.retainedSet(message("r/1", "kept", 0));
            p.retainedSet(message("r/2", "gone", 0));
            p.retainedCleared("r/2");
            p.sessionSaved(new SessionRecord("c2", 4, 0xFFFF_FFFFL, 0, null));
            p.barrier().join();
        }
        try (RocksDbPersistence p = RocksDbPersistence.open(config("interval"))) {
            Persistence.Snapshot s = p.load();
            assertThat(s.sessions()).extracting(x -> x.record().clientId()).containsExactly("c1", "c2");
            StoredSession c1 = s.sessions().get(0);
            assertThat(c1.record()).isEqualTo(new SessionRecord("c1", 5, 3600, 12345, "alice"));
            assertThat(c1.subscriptions()).singleElement().satisfies(sub -> {
                assertThat(sub.filter()).isEqualTo("a/+");
                assertThat(sub.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
                assertThat(sub.noLocal()).isTrue();
                assertThat(sub.retainAsPublished()).isTrue();
                assertThat(sub.retainHandling()).isEqualTo(RetainHandling.SEND_IF_NEW_SUBSCRIPTION);
                assertThat(sub.subscriptionId()).isEqualTo(7);
            });
            assertThat(c1.outbound()).extracting(Persistence.StoredDelivery::sequence).containsExactly(1L, 2L, 3L);
            assertThat(c1.outbound().get(0).packetId()).isEqualTo(41);
            assertThat(c1.outbound().get(0).released()).isFalse();
            assertThat(c1.outbound().get(0).subscriptionIds()).containsExactly(7);
            assertThat(c1.outbound().get(1).packetId()).isEqualTo(42);
            assertThat(c1.outbound().get(1).released()).isTrue();
            assertThat(c1.outbound().get(1).qos()).isEqualTo(Qos.EXACTLY_ONCE);
            assertThat(c1.outbound().get(1).retainFlag()).isTrue();
            assertThat(c1.outbound().get(2).packetId()).isZero();
            BrokerMessage m = c1.outbound().get(1).message();
            assertThat(new String(m.payload())).isEqualTo("two");
            assertThat(m.expiresAt()).isEqualTo(99_000);
            assertThat(m.createdAt()).isEqualTo(1000);
            assertThat(m.publisherId()).isEqualTo("publisher");
            assertThat(m.properties()).isEqualTo(message("x", "y", 0).properties());
            assertThat(c1.inboundQos2()).containsExactly(10);
            assertThat(c1.will().delaySeconds()).isEqualTo(30);
            assertThat(c1.will().message().topic()).isEqualTo("will/c1");
            assertThat(s.sessions().get(1).record().username()).isNull();
            assertThat(s.retained()).extracting(BrokerMessage::topic).containsExactly("r/1");
        }
    }

    @Test
    void removingASessionRemovesEverythingItOwns() {
        try (RocksDbPersistence p = RocksDbPersistence.open(config("interval"))) {
            p.sessionSaved(new SessionRecord("gone", 4, 60, 0, null));
            p.subscriptionAdded("gone", subscription("x", 0));
            p.deliveryStored("gone", 1, message("x", "1", 0), Qos.AT_LEAST_ONCE, false, List.of());
            p.deliverySent("gone", 1, 1);
            p.inboundQos2Received("gone", 5);
            p.willSaved("gone", new StoredWill(message("w", "w", 0), 0, 0));
            // A client id that is a prefix of the other's must not be touched.
            p.sessionSaved(new SessionRecord("go", 4, 60, 0, null));
            p.subscriptionAdded("go", subscription("y", 0));
            p.sessionRemoved("gone");
            p.barrier().join();
            Persistence.Snapshot s = p.load();
            assertThat(s.sessions()).singleElement().satisfies(x -> {
                assertThat(x.record().clientId()).isEqualTo("go");
                assertThat(x.subscriptions()).hasSize(1);
            });
        }
    }

    @Test
    void aStoreInUseByAnotherProcessIsRefusedWithOneLine() {
        try (RocksDbPersistence first = RocksDbPersistence.open(config("interval"))) {
            assertThatThrownBy(() -> RocksDbPersistence.open(config("interval")))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("is in use by another process")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void aCorruptStoreIsRefusedWithOneLine() throws Exception {
        try (RocksDbPersistence p = RocksDbPersistence.open(config("interval"))) {
            p.sessionSaved(new SessionRecord("c", 4, 60, 0, null));
            p.barrier().join();
        }
        Path current = dir.resolve("store").resolve("CURRENT");
        Files.writeString(current, "garbage without a newline");
        assertThatThrownBy(() -> RocksDbPersistence.open(config("interval")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is corrupt")
                .hasMessageNotContaining("\n");
    }
}
