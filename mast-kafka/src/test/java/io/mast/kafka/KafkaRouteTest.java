package io.mast.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KafkaRouteTest {

    @Test
    void renderedTopicsBecomeValidKafkaTopicNames() {
        assertThat(KafkaRoute.kafkaTopic("mqtt.sensors")).isEqualTo("mqtt.sensors");
        assertThat(KafkaRoute.kafkaTopic("sensors/a b/ü")).isEqualTo("sensors_a_b__");
        assertThat(KafkaRoute.kafkaTopic("")).isEqualTo("_");
        assertThat(KafkaRoute.kafkaTopic("..")).isEqualTo("__");
        assertThat(KafkaRoute.kafkaTopic("x".repeat(300))).hasSize(249);
    }
}
