package io.mast.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.plugin.PluginMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BatcherTest {

    /** Counters and gauges by name, as the broker keeps them. */
    static final class Metrics implements PluginMetrics {
        final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
        final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

        @Override
        public Counter counter(String name) {
            LongAdder a = counters.computeIfAbsent(name, k -> new LongAdder());
            return new Counter() {
                @Override
                public void increment() {
                    a.increment();
                }

                @Override
                public void add(long delta) {
                    a.add(delta);
                }

                @Override
                public long count() {
                    return a.sum();
                }
            };
        }

        @Override
        public void gauge(String name, LongSupplier value) {
            gauges.put(name, value);
        }

        long get(String name) {
            return counters.containsKey(name) ? counters.get(name).sum() : gauges.get(name).getAsLong();
        }
    }

    private static Batcher.Options options(int capacity, int batch, int maxRetries) {
        return new Batcher.Options(capacity, batch, Duration.ofMillis(20), maxRetries, Duration.ofMillis(1),
                Duration.ofMillis(5));
    }

    @Test
    void writesInOrderInBatches() {
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        Metrics m = new Metrics();
        Batcher<Integer> b = new Batcher<>("test", options(1000, 10, 0), batches::add, new Batcher.Listener<>() { },
                m, "", LoggerFactory.getLogger("test"));
        for (int i = 0; i < 95; i++) {
            assertThat(b.offer(i)).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> m.get("sent") == 95);
        assertThat(batches).allSatisfy(x -> assertThat(x).hasSizeLessThanOrEqualTo(10));
        assertThat(batches.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 95).boxed().toList());
        assertThat(b.close(Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void retriesOnlyWhatFailedThenGivesUpAfterMaxRetries() {
        List<Integer> written = new CopyOnWriteArrayList<>();
        List<Integer> dropped = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        Metrics m = new Metrics();
        Batcher.Sink<Integer> sink = batch -> {
            calls.incrementAndGet();
            List<Integer> failed = new ArrayList<>();
            for (int x : batch) {
                if (x == 7) {
                    failed.add(x);      // 7 always fails
                } else if (x % 2 == 1 && !written.contains(-x)) {
                    written.add(-x);    // odd ones fail once
                    failed.add(x);
                } else {
                    written.add(x);
                }
            }
            if (!failed.isEmpty()) {
                throw new Batcher.PartialFailure(failed, new RuntimeException("some failed"));
            }
        };
        Batcher<Integer> b = new Batcher<>("test", options(100, 100, 2), sink, new Batcher.Listener<>() {
            @Override
            public void dropped(Integer item, String reason) {
                dropped.add(item);
            }
        }, m, "", LoggerFactory.getLogger("test"));
        for (int i = 0; i < 10; i++) {
            b.offer(i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> m.get("dropped.retries_exhausted") == 1);
        assertThat(dropped).containsExactly(7);
        assertThat(written.stream().filter(x -> x >= 0).sorted().toList()).containsExactly(0, 1, 2, 3, 4, 5, 6, 8, 9);
        assertThat(m.get("sent")).isEqualTo(9);
        assertThat(m.get("retries")).isEqualTo(2);
        b.close(Duration.ofSeconds(1));
    }

    @Test
    void aFullBufferRefusesAndCountsAndCloseGivesBackWhatWasNotWritten() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        Metrics m = new Metrics();
        Batcher<Integer> b = new Batcher<>("test", options(5, 2, -1), batch -> stuck.await(),
                new Batcher.Listener<>() { }, m, "", LoggerFactory.getLogger("test"));
        int taken = 0;
        for (int i = 0; i < 20; i++) {
            if (b.offer(i)) {
                taken++;
            }
        }
        assertThat(taken).isEqualTo(5);
        assertThat(m.get("dropped.buffer_full")).isEqualTo(15);
        await().atMost(Duration.ofSeconds(5)).until(() -> m.get("inflight") > 0);
        List<Integer> left = b.close(Duration.ofMillis(50));
        assertThat(left).containsExactly(0, 1, 2, 3, 4);
        assertThat(b.offer(99)).isFalse();
        stuck.countDown();
        assertThat(stuck.await(1, TimeUnit.SECONDS)).isTrue();
    }
}
