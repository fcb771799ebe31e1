package io.mast.codec.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The decode-time topic checks, on the cases of the plugin API's TopicFiltersTest. */
class WireTopicsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "/", "a/b/c", "/finance", "sport/", "$SYS/broker/load", "a b/ü/€", "a//b", "$share/g/t"})
    void validTopicNames(String topic) {
        assertThat(WireTopics.isTopicName(topic)).isTrue();
        assertThat(WireTopics.hasWildcard(topic)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+", "#", "a/+", "a/#", "sport+", "a/b#", "+/a"})
    void wildcardsMakeInvalidTopicNames(String topic) {
        assertThat(WireTopics.isTopicName(topic)).isFalse();
        assertThat(WireTopics.hasWildcard(topic)).isTrue();
    }

    @Test
    void anEmptyTopicNameIsInvalidButHasNoWildcard() {
        assertThat(WireTopics.isTopicName("")).isFalse();
        assertThat(WireTopics.hasWildcard("")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share/g/t", "$share/", "$share//t", "$share/g"})
    void sharedSubscriptionsValidOrNot(String filter) {
        assertThat(WireTopics.isShared(filter)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "$SYS/#", "$sharegroup/t", "$SHARE/g/t", "share/g/t", "$share"})
    void otherFiltersAreNotShared(String filter) {
        assertThat(WireTopics.isShared(filter)).isFalse();
    }
}
