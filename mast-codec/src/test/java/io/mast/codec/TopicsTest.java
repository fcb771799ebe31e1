package io.mast.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.Topics.SharedFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Topic names, topic filters, shared subscriptions and matching (MQTT 5.0 sections 4.7 and 4.8.2). */
class TopicsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "/", "a/b/c", "/finance", "sport/", "$SYS/broker/load", "a b/ü/€", "a//b", "$share/g/t"})
    void validTopicNames(String topic) {
        assertThat(Topics.isValidTopicName(topic)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+", "#", "a/+", "a/#", "sport+", "a/b#", "+/a"})
    void invalidTopicNames(String topic) {
        assertThat(Topics.isValidTopicName(topic)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "sport/tennis/player1/#", "sport/#", "sport/+", "+/tennis/#", "sport/+/player1",
        "+/+", "/+", "/#", "a//b", "$SYS/#", "/", "+/", "a/+/+/#"})
    void validTopicFilters(String filter) {
        assertThat(Topics.isValidTopicFilter(filter)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sport/tennis#", "sport/tennis/#/ranking", "sport+", "#/a", "a/#/", "++", "a/++/b",
        "a+/b", "a/+b", "##", "a#"})
    void invalidTopicFilters(String filter) {
        assertThat(Topics.isValidTopicFilter(filter)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"$share/group/a/b, group, a/b", "$share/g/#, g, #", "$share/g/+/x, g, +/x", "$share/$g$/t, $g$, t",
        "$share/g//, g, /"})
    void sharedSubscriptionsAreParsed(String filter, String group, String inner) {
        assertThat(Topics.isShared(filter)).isTrue();
        assertThat(Topics.isValidTopicFilter(filter)).isTrue();
        assertThat(Topics.parseShared(filter)).isEqualTo(new SharedFilter(group, inner));
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share/group", "$share/group/", "$share//t", "$share/g+/t", "$share/g#/t", "$share/+/t",
        "$share/#/t", "$share/g/a#", "$share/g/a/#/b", "$share/"})
    void invalidSharedSubscriptions(String filter) {
        assertThat(Topics.isShared(filter)).isTrue();
        assertThat(Topics.parseShared(filter)).isNull();
        assertThat(Topics.isValidTopicFilter(filter)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "$SYS/#", "$sharegroup/t", "$SHARE/g/t", "share/g/t"})
    void otherFiltersAreNotShared(String filter) {
        assertThat(Topics.isShared(filter)).isFalse();
        assertThat(Topics.parseShared(filter)).isNull();
    }

    @Test
    void wildcardDetection() {
        assertThat(Topics.hasWildcard("a/+/b")).isTrue();
        assertThat(Topics.hasWildcard("a/#")).isTrue();
        assertThat(Topics.hasWildcard("a/b")).isFalse();
    }

    // The examples of MQTT 5.0 sections 4.7.1.2, 4.7.1.3 and 4.7.2.
    @ParameterizedTest
    @CsvSource({
        "sport/tennis/player1/#, sport/tennis/player1",
        "sport/tennis/player1/#, sport/tennis/player1/ranking",
        "sport/tennis/player1/#, sport/tennis/player1/score/wimbledon",
        "sport/#, sport",
        "#, sport/tennis",
        "#, /",
        "sport/tennis/+, sport/tennis/player1",
        "sport/tennis/+, sport/tennis/player2",
        "sport/+, sport/",
        "+/+, /finance",
        "/+, /finance",
        "+/tennis/#, sport/tennis/player1",
        "sport/+/player1, sport/tennis/player1",
        "$SYS/#, $SYS/broker/load",
        "$SYS/monitor/+, $SYS/monitor/Clients",
        "a/b, a/b",
        "a//b, a//b",
        "a/+/c, a//c",
        "+, a",
        "+/#, a",
    })
    void matches(String filter, String topic) {
        assertThat(Topics.matches(filter, topic)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "sport/tennis/+, sport/tennis/player1/ranking",
        "sport/+, sport",
        "+, /finance",
        "#, $SYS",
        "#, $SYS/broker",
        "+/monitor/Clients, $SYS/monitor/Clients",
        "+, $SYS",
        "sport/tennis/player1/#, sport/tennis/player2",
        "a/b, a/b/c",
        "a/b/c, a/b",
        "a/b, a/c",
        "a/, a",
        "a, a/",
        "A, a",
        "a/b, ab",
        "ab, a/b",
    })
    void doesNotMatch(String filter, String topic) {
        assertThat(Topics.matches(filter, topic)).isFalse();
    }
}
