package io.mast.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopicFiltersTest {

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
