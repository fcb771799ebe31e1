package io.mast.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mast.codec.Qos;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    private static Scenario pubsub(Scenario.Topology t, int size) {
        return new Scenario(Scenario.Mode.PUBSUB, t, 1, 100, 101, "bench/%i", "bench/+", Qos.AT_MOST_ONCE, size, 0, 0,
                Duration.ofSeconds(30), 0, 1000, Duration.ofSeconds(10), "bench", 1, 0);
    }

    @Test
    void topologiesParseAsWrittenOnTheCommandLine() {
        assertThat(Scenario.Topology.parse("1to1")).isEqualTo(Scenario.Topology.ONE_TO_ONE);
        assertThat(Scenario.Topology.parse("one-to-one")).isEqualTo(Scenario.Topology.ONE_TO_ONE);
        assertThat(Scenario.Topology.parse("FanIn")).isEqualTo(Scenario.Topology.FANIN);
        assertThat(Scenario.Topology.parse("fan-out")).isEqualTo(Scenario.Topology.FANOUT);
        assertThatThrownBy(() -> Scenario.Topology.parse("star")).hasMessageContaining("1to1, fanin or fanout");
    }

    @Test
    void percentIIsTheClientIndex() {
        assertThat(Scenario.topic("sensors/%i/temp", 17)).isEqualTo("sensors/17/temp");
        assertThat(Scenario.topic("fixed", 17)).isEqualTo("fixed");
    }

    @Test
    void onlyOneToOneIsNotMeshed() {
        assertThat(pubsub(Scenario.Topology.ONE_TO_ONE, 64).meshed()).isFalse();
        assertThat(pubsub(Scenario.Topology.FANOUT, 64).meshed()).isTrue();
        assertThat(pubsub(Scenario.Topology.FANIN, 64).meshed()).isTrue();
    }

    @Test
    void thePayloadMustHoldTheHeader() {
        assertThatThrownBy(() -> pubsub(Scenario.Topology.FANOUT, 10)).hasMessageContaining("at least 26 bytes");
    }

    @Test
    void theDescriptionSaysWhatRuns() {
        assertThat(pubsub(Scenario.Topology.FANOUT, 64).describe())
                .isEqualTo("pubsub: fanout, 1 publishers on bench/%i, 100 subscribers of bench/+, QoS 0, 64 bytes, unlimited rate");
    }
}
