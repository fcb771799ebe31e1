package io.mast.broker.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.plugin.support.Metrics;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class HookMetricsTest {

    @Test
    void sampledCallsAreAllCountedAndTheTimedOnesScaledUp() {
        Metrics registry = new Metrics();
        HookMetrics m = new HookMetrics(registry, "p", "authorize_publish");
        int calls = 1600;
        int timed = 0;
        for (int i = 0; i < calls; i++) {
            long start = HookMetrics.sample();
            if (start != 0) {
                timed++;
                LockSupport.parkNanos(50_000); // a call of at least 50 µs
            }
            m.recordSampled(start);
        }
        assertThat(registry.value("plugin.p.authorize_publish.calls")).isEqualTo(calls);
        // One in 16 on average: 100 expected; far outside 40..200 would mean the sampling is broken.
        assertThat(timed).isBetween(40, 200);
        long minimum = timed * HookMetrics.SAMPLE * 50L;
        assertThat(registry.value("plugin.p.authorize_publish.time_us")).isGreaterThanOrEqualTo(minimum);
    }
}
