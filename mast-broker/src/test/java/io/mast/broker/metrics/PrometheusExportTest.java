package io.mast.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.plugin.support.Metrics;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PrometheusExportTest {

    private final Metrics named = new Metrics();
    private final PrometheusExport export = new PrometheusExport(named);

    @Test
    void pluginMetersAreLabelledWithTheirPluginAndTimesBecomeSeconds() {
        named.counter("plugin.com.example.AuditPlugin.events.dropped").add(3);
        named.gauge("plugin.com.example.AuditPlugin.decide.time_us", () -> 2_500_000);
        named.gauge("plugin.com.example.AuditPlugin.queue", () -> 7);
        named.timer("plugin.com.example.AuditPlugin.decide.duration").accept(3_000_000); // 3 ms
        String text = export.scrape();
        assertThat(text).contains("mast_plugin_events_dropped_total{plugin=\"com.example.AuditPlugin\"} 3.0")
                .contains("mast_plugin_decide_time_seconds_total{plugin=\"com.example.AuditPlugin\"} 2.5")
                .contains("mast_plugin_queue{plugin=\"com.example.AuditPlugin\"} 7.0")
                .contains("mast_plugin_hook_duration_seconds_bucket{hook=\"decide\",plugin=\"com.example.AuditPlugin\","
                        + "le=\"0.005\"} 1")
                .contains("mast_plugin_hook_duration_seconds_count{hook=\"decide\",plugin=\"com.example.AuditPlugin\"} 1");
        // a name added later is exported at the next scrape
        named.counter("plugin.com.example.AuditPlugin.late").increment();
        assertThat(export.scrape()).contains("mast_plugin_late_total{plugin=\"com.example.AuditPlugin\"} 1.0");
    }

    @Test
    void gaugesSurviveACollectionAndClashingNamesAreLeftOut() {
        AtomicInteger open = new AtomicInteger(5);
        export.gauge("things", "Things open now", open::get, "listener", "tcp/1883");
        named.counter("plugin.a.B.x").increment();
        named.gauge("plugin.a.B.x", () -> 1); // the same Prometheus name as a gauge: skipped, not an error
        System.gc();
        String text = export.scrape();
        assertThat(text).contains("mast_things{listener=\"tcp/1883\"} 5.0").contains("mast_plugin_x_total{plugin=\"a.B\"} 1.0")
                .doesNotContain("mast_plugin_x{");
    }
}
