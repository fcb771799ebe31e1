package io.mast.exhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequencerTest {

    /** A task that records its start and finishes only when the test says so. */
    private static final class Held implements Sequencer.Task {
        final String name;
        final List<String> log;
        Runnable done;

        Held(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public void run(Runnable done) {
            log.add(name);
            this.done = done;
        }

        void finish() {
            done.run();
        }
    }

    @Test
    void oneKeysCallsStartOneAfterTheOther() {
        Sequencer seq = new Sequencer(100);
        List<String> log = new ArrayList<>();
        Held a = new Held("a", log);
        Held b = new Held("b", log);
        seq.fill(seq.reserve("c1", true), a);
        seq.fill(seq.reserve("c1", true), b);
        assertThat(log).containsExactly("a");
        a.finish();
        assertThat(log).containsExactly("a", "b");
        b.finish();
        assertThat(seq.pending()).isZero();
        assertThat(seq.activeKeys()).isZero();
    }

    @Test
    void aSubmittedCallKeepsItsPlaceBehindReservedOnesAndStartsAtOnceOnAnIdleKey() {
        Sequencer seq = new Sequencer(2);
        List<String> log = new ArrayList<>();
        Held a = new Held("a", log);
        Sequencer.Slot reserved = seq.reserve("c1", false);
        seq.submit("c1", false, false, a);
        assertThat(log).as("behind the reserved place").isEmpty();
        assertThat(seq.idle("c1")).isFalse();
        Held r = new Held("r", log);
        seq.fill(reserved, r);
        assertThat(log).containsExactly("r");
        r.finish();
        assertThat(log).containsExactly("r", "a");
        assertThat(seq.submit("c1", true, false, new Held("x", log))).isNotNull();
        assertThat(seq.submit("c1", true, false, new Held("y", log))).as("c1 has two waiting or running").isNull();
        a.finish();
        assertThat(log).containsExactly("r", "a", "x");

        Held alone = new Held("alone", log);
        seq.submit("c2", false, false, alone);
        assertThat(log).as("an idle key starts at once").endsWith("alone");
        alone.finish();
        assertThat(seq.idle("c2")).isTrue();
    }

    @Test
    void differentKeysRunConcurrently() {
        Sequencer seq = new Sequencer(100);
        List<String> log = new ArrayList<>();
        seq.fill(seq.reserve("c1", true), new Held("a", log));
        seq.fill(seq.reserve("c2", true), new Held("b", log));
        seq.fill(seq.reserve(null, true), new Held("c", log));
        assertThat(log).containsExactly("a", "b", "c");
    }

    @Test
    void aReservedPlaceHoldsLaterCallsUntilFilledOrSkipped() {
        Sequencer seq = new Sequencer(100);
        List<String> log = new ArrayList<>();
        Sequencer.Slot decision = seq.reserve("c1", false);
        Sequencer.Slot skipped = seq.reserve("c1", false);
        Held later = new Held("later", log);
        seq.fill(seq.reserve("c1", true), later);
        assertThat(log).isEmpty();
        Held d = new Held("decision", log);
        seq.fill(decision, d);
        assertThat(log).containsExactly("decision");
        d.finish();
        assertThat(log).containsExactly("decision");
        seq.skip(skipped);
        assertThat(log).containsExactly("decision", "later");
    }

    @Test
    void aFullQueueRefusesNotificationsButNotDecisions() {
        Sequencer seq = new Sequencer(2);
        List<String> log = new ArrayList<>();
        seq.fill(seq.reserve("c1", true), new Held("a", log));
        seq.fill(seq.reserve("c1", true), new Held("b", log));
        assertThat(seq.reserve("c1", true)).isNull();
        assertThat(seq.reserve("c1", false)).isNotNull();
    }

    @Test
    void manyTasksThatFinishAtOnceDoNotRecurse() {
        Sequencer seq = new Sequencer(1_000_000);
        List<Integer> order = new ArrayList<>();
        Held first = new Held("first", new ArrayList<>());
        seq.fill(seq.reserve("c1", true), first);
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            int x = i;
            seq.fill(seq.reserve("c1", true), done -> {
                order.add(x);
                done.run();
            });
        }
        first.finish();
        assertThat(order).hasSize(n);
        assertThat(order.get(0)).isZero();
        assertThat(order.get(n - 1)).isEqualTo(n - 1);
        assertThat(seq.awaitIdle(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void aTaskThatThrowsStillLetsTheNextOneRun() {
        Sequencer seq = new Sequencer(10);
        List<String> log = new ArrayList<>();
        seq.fill(seq.reserve("c1", true), done -> {
            throw new IllegalStateException("boom");
        });
        seq.fill(seq.reserve("c1", true), new Held("after", log));
        assertThat(log).containsExactly("after");
    }

    @Test
    void overlappingCallsOfOneKeyStartTogetherUpToTheLimitInOrder() {
        Sequencer seq = new Sequencer(100, 2);
        List<String> log = new ArrayList<>();
        Held p1 = new Held("p1", log);
        Held p2 = new Held("p2", log);
        Held p3 = new Held("p3", log);
        Sequencer.Slot s1 = seq.reserve("c1", false, true);
        Sequencer.Slot s2 = seq.reserve("c1", false, true);
        Sequencer.Slot s3 = seq.reserve("c1", false, true);
        seq.fill(s2, p2);
        assertThat(log).as("the second does not start before the first").isEmpty();
        seq.fill(s1, p1);
        seq.fill(s3, p3);
        assertThat(log).as("two at once").containsExactly("p1", "p2");
        p2.finish();
        assertThat(log).containsExactly("p1", "p2", "p3");
        p1.finish();
        p3.finish();
        assertThat(seq.pending()).isZero();
        assertThat(seq.activeKeys()).isZero();
    }

    @Test
    void aCallThatDoesNotOverlapWaitsForTheOverlappingOnesBeforeItAndHoldsThoseAfter() {
        Sequencer seq = new Sequencer(100, 8);
        List<String> log = new ArrayList<>();
        Held p1 = new Held("p1", log);
        Held p2 = new Held("p2", log);
        Held n = new Held("notification", log);
        Held p3 = new Held("p3", log);
        seq.fill(seq.reserve("c1", false, true), p1);
        seq.fill(seq.reserve("c1", false, true), p2);
        seq.fill(seq.reserve("c1", true), n);
        seq.fill(seq.reserve("c1", false, true), p3);
        assertThat(log).containsExactly("p1", "p2");
        p1.finish();
        assertThat(log).containsExactly("p1", "p2");
        p2.finish();
        assertThat(log).containsExactly("p1", "p2", "notification");
        n.finish();
        assertThat(log).containsExactly("p1", "p2", "notification", "p3");
    }

    @Test
    void withoutOverlapOverlappingCallsAreOneAfterTheOther() {
        Sequencer seq = new Sequencer(100);
        List<String> log = new ArrayList<>();
        Held p1 = new Held("p1", log);
        seq.fill(seq.reserve("c1", false, true), p1);
        seq.fill(seq.reserve("c1", false, true), new Held("p2", log));
        assertThat(log).containsExactly("p1");
        p1.finish();
        assertThat(log).containsExactly("p1", "p2");
    }
}
