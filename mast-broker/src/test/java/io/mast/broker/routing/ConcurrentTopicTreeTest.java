package io.mast.broker.routing;

import static io.mast.broker.routing.Entries.sub;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.Qos;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConcurrentTopicTreeTest {

    private final ConcurrentTopicTree tree = new ConcurrentTopicTree();

    private List<String> matches(String topic) {
        List<String> out = new ArrayList<>();
        tree.match(topic, new MatchVisitor() {
            @Override
            public void subscriptions(Collection<SubscriptionEntry> entries) {
                entries.forEach(e -> out.add(e.filter()));
            }

            @Override
            public void sharedGroup(SharedGroup group) {
                out.add("$share/" + group.name() + "/" + group.topicFilter());
            }
        });
        return out;
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "sport/tennis/player1/#, sport/tennis/player1, true",
            "sport/tennis/player1/#, sport/tennis/player1/ranking, true",
            "sport/tennis/player1/#, sport/tennis/player1/score/wimbledon, true",
            "sport/#, sport, true",
            "#, sport/tennis, true",
            "sport/tennis/+, sport/tennis/player1, true",
            "sport/tennis/+, sport/tennis/player1/ranking, false",
            "sport/+, sport, false",
            "sport/+, sport/, true",
            "+/+, /finance, true",
            "/+, /finance, true",
            "+, /finance, false",
            "#, $SYS/broker/uptime, false",
            "+/broker/uptime, $SYS/broker/uptime, false",
            "$SYS/#, $SYS/broker/uptime, true",
            "$SYS/+/uptime, $SYS/broker/uptime, true",
            "a/b, a/b/c, false",
            "a/b/c, a/b, false",
            "+/+/+, a/b/c, true",
            "a//c, a//c, true",
            "a/+/c, a//c, true",
    })
    void matchesAsTheSpecificationSays(String filter, String topic, boolean expected) {
        tree.subscribe(sub(new FakeSubscriber("c"), filter, Qos.AT_MOST_ONCE));
        assertThat(matches(topic)).hasSize(expected ? 1 : 0);
    }

    @Test
    void visitsEveryMatchingFilterOnce() {
        FakeSubscriber a = new FakeSubscriber("a");
        FakeSubscriber b = new FakeSubscriber("b");
        tree.subscribe(sub(a, "x/y", Qos.AT_MOST_ONCE));
        tree.subscribe(sub(a, "x/+", Qos.AT_MOST_ONCE));
        tree.subscribe(sub(b, "x/#", Qos.AT_MOST_ONCE));
        tree.subscribe(sub(b, "#", Qos.AT_MOST_ONCE));
        tree.subscribe(sub(b, "z", Qos.AT_MOST_ONCE));
        assertThat(matches("x/y")).containsExactlyInAnyOrder("x/y", "x/+", "x/#", "#");
        assertThat(tree.size()).isEqualTo(5);
    }

    @Test
    void resubscribingReplacesAndDoesNotCountTwice() {
        FakeSubscriber a = new FakeSubscriber("a");
        assertThat(tree.subscribe(sub(a, "t", Qos.AT_MOST_ONCE))).isNull();
        SubscriptionEntry previous = tree.subscribe(sub(a, "t", Qos.EXACTLY_ONCE));
        assertThat(previous).isNotNull();
        assertThat(previous.qos()).isEqualTo(Qos.AT_MOST_ONCE);
        assertThat(tree.size()).isEqualTo(1);
    }

    @Test
    void unsubscribeRemovesAndPrunes() {
        FakeSubscriber a = new FakeSubscriber("a");
        FakeSubscriber b = new FakeSubscriber("b");
        tree.subscribe(sub(a, "a/b/c", Qos.AT_MOST_ONCE));
        tree.subscribe(sub(b, "a/b/c", Qos.AT_MOST_ONCE));
        assertThat(tree.unsubscribe(a, "a/b/c")).isNotNull();
        assertThat(matches("a/b/c")).hasSize(1);
        assertThat(tree.unsubscribe(a, "a/b/c")).isNull();
        assertThat(tree.unsubscribe(b, "a/b/c")).isNotNull();
        assertThat(tree.unsubscribe(b, "a/b")).isNull();
        assertThat(matches("a/b/c")).isEmpty();
        assertThat(tree.size()).isZero();
        // Pruned nodes are created again on demand.
        tree.subscribe(sub(a, "a/b/c", Qos.AT_MOST_ONCE));
        assertThat(matches("a/b/c")).hasSize(1);
    }

    @Test
    void sharedSubscriptionsFormOneGroupPerNameAndFilter() {
        FakeSubscriber a = new FakeSubscriber("a");
        FakeSubscriber b = new FakeSubscriber("b");
        tree.subscribe(sub(a, "$share/g/s/+", Qos.AT_LEAST_ONCE));
        tree.subscribe(sub(b, "$share/g/s/+", Qos.AT_LEAST_ONCE));
        tree.subscribe(sub(b, "$share/h/s/+", Qos.AT_LEAST_ONCE));
        assertThat(matches("s/1")).containsExactlyInAnyOrder("$share/g/s/+", "$share/h/s/+");
        assertThat(tree.unsubscribe(a, "$share/g/s/+")).isNotNull();
        assertThat(tree.unsubscribe(b, "$share/g/s/+")).isNotNull();
        assertThat(matches("s/1")).containsExactly("$share/h/s/+");
    }

    @Test
    void lookupsRunWhileSubscriptionsChange() throws Exception {
        FakeSubscriber stable = new FakeSubscriber("stable");
        tree.subscribe(sub(stable, "load/+/x", Qos.AT_MOST_ONCE));
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch started = new CountDownLatch(3);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int n = w;
                writers.add(pool.submit(() -> {
                    started.countDown();
                    FakeSubscriber s = new FakeSubscriber("w" + n);
                    for (int i = 0; i < 5_000; i++) {
                        String f = "load/" + (i % 50) + "/x";
                        tree.subscribe(sub(s, f, Qos.AT_MOST_ONCE));
                        tree.unsubscribe(s, f);
                    }
                }));
            }
            Future<Integer> reader = pool.submit(() -> {
                started.countDown();
                int misses = 0;
                while (!stop.get()) {
                    if (!matches("load/7/x").contains("load/+/x")) {
                        misses++;
                    }
                }
                return misses;
            });
            for (Future<?> w : writers) {
                w.get(30, TimeUnit.SECONDS);
            }
            stop.set(true);
            assertThat(reader.get(10, TimeUnit.SECONDS)).as("the stable subscription is always found").isZero();
            assertThat(tree.size()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
