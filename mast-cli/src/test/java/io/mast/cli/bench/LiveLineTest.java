package io.mast.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LiveLineTest {

    @Test
    void aPubsubLineShowsRatesLatencyErrorsAndConnections() {
        assertThat(LiveLine.format(3, 85_123, 85_100, 0.4123, 2.5, 0, 2, true, true))
                .isEqualTo("    3s  sent    85,123/s  received     85,100/s  p50 0.412 ms  p99 2.50 ms  errors 0  connections 2");
    }

    @Test
    void aSecondWithoutMessagesShowsNoLatency() {
        assertThat(LiveLine.format(12, 0, 0, Double.NaN, Double.NaN, 3, 10, false, true))
                .isEqualTo("   12s  received          0/s  p50 - ms  p99 - ms  errors 3  connections 10");
    }

    @Test
    void aPublisherLineHasNoLatency() {
        assertThat(LiveLine.format(1, 1_000, 0, Double.NaN, Double.NaN, 0, 1, true, false))
                .isEqualTo("    1s  sent     1,000/s  errors 0  connections 1");
    }

    @Test
    void aConnLineShowsConnectionsAndConnectLatency() {
        assertThat(LiveLine.formatConn(2, 4_000, 2_000, 1.5, 12.25, 0))
                .isEqualTo("    2s  connections   4,000  new  2,000/s  connect p50 1.50 ms  p99 12.3 ms  errors 0");
    }
}
