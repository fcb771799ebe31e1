package io.mast.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BenchResultTest {

    private static BenchResult result(int qos, long lost, long duplicates, long errors) {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 10L); // 10 us .. 10 ms
        }
        return new BenchResult("pubsub: 1to1", "pubsub", "1to1", qos, 64, 1, 1, 2, 2, 10.0, 1000, 1000 - lost, 1000,
                lost, duplicates, 0, errors, 100.0, 100.0 - lost / 10.0, BenchResult.Latency.of(h),
                BenchResult.Latency.of(new Histogram(3)));
    }

    @Test
    void latencyFiguresAreMillisecondsFromTheHistogram() {
        BenchResult.Latency l = result(1, 0, 0, 0).latency();
        assertThat(l.count()).isEqualTo(1000);
        assertThat(l.min()).isEqualTo(0.01);
        assertThat(l.p50()).isBetween(4.99, 5.01);
        assertThat(l.p99()).isBetween(9.89, 9.91);
        assertThat(l.max()).isBetween(9.99, 10.01);
        assertThat(result(1, 0, 0, 0).connectLatency().p50()).isNaN();
    }

    @Test
    void aRunFailsOnErrorsOnLossAboveQos0AndOnDuplicatesAtQos2() {
        assertThat(result(1, 0, 0, 0).failed()).isFalse();
        assertThat(result(0, 10, 0, 0).failed()).as("QoS 0 may lose messages").isFalse();
        assertThat(result(1, 1, 0, 0).failed()).isTrue();
        assertThat(result(1, 0, 3, 0).failed()).as("QoS 1 may duplicate").isFalse();
        assertThat(result(2, 0, 1, 0).failed()).isTrue();
        assertThat(result(0, 0, 0, 1).failed()).isTrue();
    }

    @Test
    void theTableNamesEveryFigure() {
        String table = result(1, 2, 1, 0).table();
        assertThat(table).contains("scenario     pubsub: 1to1")
                .contains("connections  2 of 2 accepted")
                .contains("sent         1,000 (100 msg/s)")
                .contains("received     998 (100 msg/s)")
                .contains("expected     1,000")
                .contains("lost         2 (0.200%)")
                .contains("duplicates   1")
                .contains("errors       0")
                .containsPattern("latency ms +min 0\\.010 +p50 5\\.\\d\\d +p90 .* p99 9\\.\\d\\d");
        assertThat(table).doesNotContain("connect ms");
    }

    @Test
    void jsonIsOneObjectWithNullForWhatWasNotMeasured() {
        String json = result(1, 0, 0, 0).json();
        assertThat(json).startsWith("{\"scenario\":\"pubsub: 1to1\",\"mode\":\"pubsub\",\"topology\":\"1to1\",\"qos\":1,")
                .contains("\"sent\":1000,\"received\":1000,\"expected\":1000,\"lost\":0,")
                .contains("\"connect_ms_p50\":null")
                .endsWith("\"failed\":false}")
                .doesNotContain("\n");
    }

    @Test
    void csvHeaderAndRowHaveTheSameColumns() {
        BenchResult r = result(0, 0, 0, 0);
        String[] header = r.csvHeader().split(",");
        assertThat(header).startsWith("scenario", "mode", "topology", "qos");
        assertThat(r.csvRow().split(",", -1)).hasSameSizeAs(header);
        assertThat(r.csvRow()).startsWith("pubsub: 1to1,pubsub,1to1,0,64,");
    }

    @Test
    void cellsWithCommasAreQuoted() {
        BenchResult r = new BenchResult("a, \"b\"", "pub", "", 0, 64, 1, 0, 1, 1, 1, 1, 0, -1, -1, 0, 0, 0, 1, 0,
                BenchResult.Latency.of(new Histogram(3)), BenchResult.Latency.of(new Histogram(3)));
        assertThat(r.csvRow()).startsWith("\"a, \"\"b\"\"\",pub,");
        assertThat(r.json()).startsWith("{\"scenario\":\"a, \\\"b\\\"\",");
    }

    @Test
    void connRunsTellTheRateTheyOpenedConnectionsAt() {
        BenchResult r = result(0, 0, 0, 0);
        assertThat(r.json()).contains("\"connect_rate\":null");
        assertThat(r.table()).doesNotContain("connect rate");
        BenchResult conn = r.withConnectRate(1234.5);
        assertThat(conn.json()).contains("\"connect_rate\":1234.5");
        assertThat(conn.table()).contains("1,235 connections/s");
    }
}
