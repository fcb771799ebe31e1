package io.mast.exhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.exhook.proto.stream.HookRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decisions a stream waits for, by id: added slightly out of order, answered in any order, grown, expired. */
class PendingRingTest {

    private static HookStream.Queued decision(long id, long deadline) {
        return new HookStream.Queued(HookRequest.getDefaultInstance(), id, deadline, null);
    }

    @Test
    void decisionsAreFoundByIdInAnyOrderAndOnlyOnce() {
        HookStream.PendingRing ring = new HookStream.PendingRing();
        List<HookStream.Queued> all = new ArrayList<>();
        for (long id = 1; id <= 300; id++) {
            // ids reach the loop slightly out of order when several threads submit
            long at = id % 2 == 0 ? id - 1 : id + 1;
            HookStream.Queued q = decision(at, 0);
            all.add(q);
            ring.add(q);
        }
        assertThat(ring.size()).isEqualTo(300);
        for (HookStream.Queued q : all) {
            assertThat(ring.contains(q)).isTrue();
        }
        for (long id = 300; id >= 1; id -= 3) {
            assertThat(ring.remove(id)).isNotNull().extracting(q -> q.id).isEqualTo(id);
            assertThat(ring.remove(id)).as("answered once").isNull();
        }
        assertThat(ring.remove(301)).as("an id never sent").isNull();
        assertThat(ring.size()).isEqualTo(200);
        assertThat(ring.drain()).hasSize(200);
        assertThat(ring.size()).isZero();
        assertThat(ring.remove(1)).isNull();
    }

    @Test
    void aDecisionThatStaysWhileManyPassDoesNotLoseThem() {
        HookStream.PendingRing ring = new HookStream.PendingRing();
        ring.add(decision(1, 0));
        for (long id = 2; id < 5000; id++) {
            ring.add(decision(id, 0));
            assertThat(ring.remove(id)).isNotNull();
        }
        ring.add(decision(5000, 0));
        assertThat(ring.size()).isEqualTo(2);
        assertThat(ring.remove(1)).isNotNull();
        assertThat(ring.remove(5000)).isNotNull();
        assertThat(ring.size()).isZero();
    }

    @Test
    void expiredDecisionsAreTakenOutAndTheOthersStay() {
        HookStream.PendingRing ring = new HookStream.PendingRing();
        ring.add(decision(1, 100));
        ring.add(decision(2, 300));
        ring.add(decision(3, 200));
        assertThat(ring.expired(250)).extracting(q -> q.id).containsExactly(1L, 3L);
        assertThat(ring.size()).isEqualTo(1);
        assertThat(ring.remove(2)).isNotNull();
        assertThat(ring.expired(1000)).isEmpty();
    }
}
