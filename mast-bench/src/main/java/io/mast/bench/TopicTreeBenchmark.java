package io.mast.bench;

import io.mast.broker.message.BrokerMessage;
import io.mast.broker.routing.ConcurrentTopicTree;
import io.mast.broker.routing.MatchVisitor;
import io.mast.broker.routing.SharedGroup;
import io.mast.broker.routing.Subscriber;
import io.mast.broker.routing.SubscriptionEntry;
import io.mast.codec.Qos;
import io.mast.codec.packet.RetainHandling;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The topic tree ({@link ConcurrentTopicTree}) at 1k to 1M subscriptions, each of its own session, on topics of six
 * levels {@code site/S/area/A/device/D}. The wildcard mix says which share of the filters has a {@code +} at a level
 * or ends in {@code #} (the rest are exact topics). {@code match} looks up a random topic of the same space (so it
 * finds its exact subscription and the wildcards covering it); {@code subscribeUnsubscribe} adds and removes one
 * subscription in the full tree, the cost of subscription churn.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class TopicTreeBenchmark {

    /** Subscriptions in the tree. */
    @Param({"1000", "10000", "100000", "1000000"})
    public int subscriptions;

    /** Percent of filters with wildcards: half with a {@code +} level, half ending in {@code #}. */
    @Param({"0", "10", "50"})
    public int wildcardPercent;

    private ConcurrentTopicTree tree;
    private String[] topics;
    private int next;
    private SubscriptionEntry churn;
    private Sub churner;

    /** A session as the tree sees it: only its identity matters here. */
    static final class Sub implements Subscriber {
        private final String id;

        Sub(String id) {
            this.id = id;
        }

        @Override
        public String clientId() {
            return id;
        }

        @Override
        public boolean isOnline() {
            return true;
        }

        @Override
        public boolean isCongested() {
            return false;
        }

        @Override
        public long progress() {
            return 0;
        }

        @Override
        public void deliver(BrokerMessage message, Qos qos, boolean retainFlag, List<Integer> subscriptionIds,
                            SharedGroup group) {
        }

        @Override
        public void whenRelieved(Runnable action) {
            action.run();
        }

        @Override
        public void stalled() {
        }
    }

    /** Counts matches, so the lookup cannot be optimized away. */
    static final class Counter implements MatchVisitor {
        int matched;

        @Override
        public void subscriptions(Collection<SubscriptionEntry> entries) {
            matched += entries.size();
        }

        @Override
        public void sharedGroup(SharedGroup group) {
            matched++;
        }
    }

    static SubscriptionEntry entry(Subscriber s, String filter) {
        return new SubscriptionEntry(s, filter, filter, null, Qos.AT_LEAST_ONCE, false, false,
                RetainHandling.SEND_ON_SUBSCRIBE, 0);
    }

    /** The topic space: about {@code n} distinct topics. */
    static String topic(int n, SplittableRandom r) {
        int sites = Math.max(1, (int) Math.cbrt(n) / 2);
        return "site/" + r.nextInt(sites) + "/area/" + r.nextInt(10) + "/device/" + r.nextInt(Math.max(1, n / sites / 10));
    }

    @Setup(Level.Trial)
    public void fill() {
        tree = new ConcurrentTopicTree();
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < subscriptions; i++) {
            String t = topic(subscriptions, r);
            String filter = t;
            int roll = r.nextInt(100);
            if (roll < wildcardPercent / 2) {
                String[] levels = t.split("/");
                levels[1 + 2 * r.nextInt(3)] = "+";
                filter = String.join("/", levels);
            } else if (roll < wildcardPercent) {
                filter = t.substring(0, t.indexOf("/device/")) + "/#";
            }
            tree.subscribe(entry(new Sub("c" + i), filter));
        }
        topics = new String[4096];
        for (int i = 0; i < topics.length; i++) {
            topics[i] = topic(subscriptions, r);
        }
        churner = new Sub("churner");
        churn = entry(churner, topic(subscriptions, r));
    }

    @Benchmark
    public int match() {
        Counter c = new Counter();
        tree.match(topics[next++ & (topics.length - 1)], c);
        return c.matched;
    }

    @Benchmark
    public void subscribeUnsubscribe(Blackhole bh) {
        bh.consume(tree.subscribe(churn));
        bh.consume(tree.unsubscribe(churner, churn.filter()));
    }
}
