package io.mast.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.plugin.TopicFilters.SharedFilter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Topic names, topic filters, shared subscriptions, matching and covering (MQTT 5.0 sections 4.7 and 4.8.2). */
class TopicFiltersTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "/", "a/b/c", "/finance", "sport/", "$SYS/broker/load", "a b/ü/€", "a//b", "$share/g/t"})
    void validTopicNames(String topic) {
        assertThat(TopicFilters.isTopicName(topic)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+", "#", "a/+", "a/#", "sport+", "a/b#", "+/a"})
    void invalidTopicNames(String topic) {
        assertThat(TopicFilters.isTopicName(topic)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "sport/tennis/player1/#", "sport/#", "sport/+", "+/tennis/#", "sport/+/player1",
        "+/+", "/+", "/#", "a//b", "$SYS/#", "/", "+/", "a/+/+/#", "//", "$share"})
    void validTopicFilters(String filter) {
        assertThat(TopicFilters.isTopicFilter(filter)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sport/tennis#", "sport/tennis/#/ranking", "sport+", "#/a", "a/#/", "++", "a/++/b",
        "a+/b", "a/+b", "##", "a#", "+#", "#+"})
    void invalidTopicFilters(String filter) {
        assertThat(TopicFilters.isTopicFilter(filter)).isFalse();
    }

    @Test
    void nullIsNotATopicFilter() {
        assertThat(TopicFilters.isTopicFilter(null)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"$share/group/a/b, group, a/b", "$share/g/#, g, #", "$share/g/+/x, g, +/x", "$share/$g$/t, $g$, t",
        "$share/g//, g, /", "$share/g/$SYS/#, g, $SYS/#"})
    void sharedSubscriptionsAreParsed(String filter, String group, String inner) {
        assertThat(TopicFilters.isShared(filter)).isTrue();
        assertThat(TopicFilters.isTopicFilter(filter)).isTrue();
        assertThat(TopicFilters.parseShared(filter)).isEqualTo(new SharedFilter(group, inner));
    }

    // Before the broker's and the plugin API's rules were one, isTopicFilter took "$share//t", "$share/group" and
    // "$share/group/" as plain filters; the broker refused them, as MQTT 5.0 section 4.8.2 says.
    @ParameterizedTest
    @ValueSource(strings = {"$share/group", "$share/group/", "$share//t", "$share/g+/t", "$share/g#/t", "$share/+/t",
        "$share/#/t", "$share/g/a#", "$share/g/a/#/b", "$share/", "$share/g/+a"})
    void invalidSharedSubscriptions(String filter) {
        assertThat(TopicFilters.isShared(filter)).isTrue();
        assertThat(TopicFilters.parseShared(filter)).isNull();
        assertThat(TopicFilters.isTopicFilter(filter)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "$SYS/#", "$sharegroup/t", "$SHARE/g/t", "share/g/t", "$share"})
    void otherFiltersAreNotShared(String filter) {
        assertThat(TopicFilters.isShared(filter)).isFalse();
        assertThat(TopicFilters.parseShared(filter)).isNull();
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
        assertThat(TopicFilters.matches(filter, topic)).isTrue();
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
        assertThat(TopicFilters.matches(filter, topic)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"sensors/#, sensors/+/temp", "sensors/#, sensors/#", "sensors/#, sensors", "sensors/+, sensors/a",
        "+/+, a/+", "#, a/b/#", "a/b, a/b", "$SYS/#, $SYS/broker/+", "+/b, a/b"})
    void covers(String pattern, String filter) {
        assertThat(TopicFilters.covers(pattern, filter)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"sensors/+, sensors/#", "sensors/a, sensors/+", "#, $SYS/#", "+/broker, $SYS/broker", "a/b, a/b/c",
        "a/b/c, a/b", "a/+, a/b/c", "a/b, a/c"})
    void doesNotCover(String pattern, String filter) {
        assertThat(TopicFilters.covers(pattern, filter)).isFalse();
    }

    @Test
    void unsharedDropsTheShareGroupOnly() {
        assertThat(TopicFilters.unshared("$share/g/sensors/#")).isEqualTo("sensors/#");
        assertThat(TopicFilters.unshared("sensors/#")).isEqualTo("sensors/#");
        assertThat(TopicFilters.unshared("$share/g")).as("not a shared subscription").isEqualTo("$share/g");
        assertThat(TopicFilters.unshared("$SYS/#")).isEqualTo("$SYS/#");
    }

    @Test
    void wildcardsMatchAsTheSpecificationSays() {
        assertThat(TopicFilters.matches("sport/tennis/player1/#", "sport/tennis/player1")).isTrue();
        assertThat(TopicFilters.matches("sport/tennis/player1/#", "sport/tennis/player1/ranking")).isTrue();
        assertThat(TopicFilters.matches("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon")).isTrue();
        assertThat(TopicFilters.matches("sport/#", "sport")).isTrue();
        assertThat(TopicFilters.matches("#", "sport/tennis")).isTrue();
        assertThat(TopicFilters.matches("sport/tennis/+", "sport/tennis/player1")).isTrue();
        assertThat(TopicFilters.matches("sport/tennis/+", "sport/tennis/player1/ranking")).isFalse();
        assertThat(TopicFilters.matches("sport/+", "sport")).isFalse();
        assertThat(TopicFilters.matches("sport/+", "sport/")).isTrue();
        assertThat(TopicFilters.matches("+/+", "/finance")).isTrue();
        assertThat(TopicFilters.matches("/+", "/finance")).isTrue();
        assertThat(TopicFilters.matches("+", "/finance")).isFalse();
        assertThat(TopicFilters.matches("a/b", "a/bc")).isFalse();
        assertThat(TopicFilters.matches("a/bc", "a/b")).isFalse();
        assertThat(TopicFilters.matches("a/b", "a/b/")).isFalse();
    }

    @Test
    void dollarTopicsAreNotMatchedByALeadingWildcard() {
        assertThat(TopicFilters.matches("#", "$SYS/broker/uptime")).isFalse();
        assertThat(TopicFilters.matches("+/broker/uptime", "$SYS/broker/uptime")).isFalse();
        assertThat(TopicFilters.matches("$SYS/#", "$SYS/broker/uptime")).isTrue();
        assertThat(TopicFilters.matches("$SYS/+/uptime", "$SYS/broker/uptime")).isTrue();
    }

    /** Every pair of a set of filters and topics, against a plain level-by-level reference. */
    @Test
    void agreesWithASplittingReference() {
        List<String> filters = List.of("#", "+", "a", "a/#", "a/+", "+/b", "a/b", "a/b/#", "a/+/c", "+/+", "/+", "+/",
                "/", "a//c", "a/+/+", "", "a/", "/#", "+/#", "ab/#", "a/bc");
        List<String> topics = List.of("a", "a/b", "a/b/c", "/", "//", "a/", "/a", "a//c", "b", "ab", "a/bc", "",
                "a/b/c/d", "$a/b", "ab/c");
        for (String f : filters) {
            for (String t : topics) {
                assertThat(TopicFilters.matches(f, t)).as("%s matches %s", f, t).isEqualTo(reference(f, t));
            }
        }
    }

    private static boolean reference(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
