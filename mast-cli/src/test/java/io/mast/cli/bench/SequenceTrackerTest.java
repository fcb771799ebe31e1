package io.mast.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    @Test
    void inOrderArrivalsAreAllFirstArrivals() {
        SequenceTracker t = new SequenceTracker();
        for (long i = 0; i < 1000; i++) {
            assertThat(t.record(i)).isTrue();
        }
        assertThat(t.unique()).isEqualTo(1000);
        assertThat(t.duplicates()).isZero();
        assertThat(t.missing()).isZero();
        assertThat(t.highest()).isEqualTo(1000);
    }

    @Test
    void anArrivalAgainIsADuplicate() {
        SequenceTracker t = new SequenceTracker();
        t.record(0);
        t.record(1);
        assertThat(t.record(1)).isFalse();
        assertThat(t.record(0)).isFalse();
        assertThat(t.unique()).isEqualTo(2);
        assertThat(t.duplicates()).isEqualTo(2);
    }

    @Test
    void dropsLeaveGapsThatLateArrivalsFill() {
        SequenceTracker t = new SequenceTracker();
        t.record(0);
        t.record(5); // 1..4 skipped
        t.record(9); // 6..8 skipped
        assertThat(t.unique()).isEqualTo(3);
        assertThat(t.missing()).isEqualTo(7);
        assertThat(t.record(3)).isTrue(); // late, inside the first gap
        assertThat(t.record(3)).isFalse();
        assertThat(t.record(1)).isTrue();
        assertThat(t.record(4)).isTrue();
        assertThat(t.record(2)).isTrue(); // the first gap is now closed
        assertThat(t.record(7)).isTrue();
        assertThat(t.record(5)).isFalse();
        assertThat(t.record(9)).isFalse();
        assertThat(t.unique()).isEqualTo(8);
        assertThat(t.missing()).isEqualTo(2); // 6 and 8
        assertThat(t.duplicates()).isEqualTo(3);
        assertThat(t.record(6)).isTrue();
        assertThat(t.record(8)).isTrue();
        assertThat(t.missing()).isZero();
        assertThat(t.record(8)).isFalse();
    }

    @Test
    void aRedeliveryAfterReconnectCountsOnce() {
        SequenceTracker t = new SequenceTracker();
        for (long i = 0; i < 10; i++) {
            t.record(i);
        }
        for (long i = 7; i < 15; i++) { // the broker resends 7..9 (DUP), then goes on
            t.record(i);
        }
        assertThat(t.unique()).isEqualTo(15);
        assertThat(t.duplicates()).isEqualTo(3);
    }
}
