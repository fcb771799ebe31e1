package io.mast.plugin.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesUnits() {
        assertThat(Durations.parse("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.isNever(Durations.parse("never"))).isTrue();
        assertThat(Durations.toMqttSeconds(Durations.NEVER)).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void rejectsOtherText() {
        assertThatThrownBy(() -> Durations.parse("5 weeks")).hasMessageContaining("expected a duration");
        assertThatThrownBy(() -> Durations.parse("h")).hasMessageContaining("expected a duration");
    }
}
