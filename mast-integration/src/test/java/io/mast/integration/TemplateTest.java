package io.mast.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mast.plugin.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateTest {

    private static Published published(Message m) {
        return new Published(null, m, "node-1");
    }

    @Test
    void rendersPlaceholdersLevelsAndUserProperties() {
        Message m = Message.builder("sensors/a/temp").payload("21").qos(1).publisherId("c1")
                .userProperty("site", "lab").build();
        assertThat(MessageVariables.template("mqtt.${topic_level.1}.${topic_level.3}").render(published(m)))
                .isEqualTo("mqtt.sensors.temp");
        assertThat(MessageVariables.template("${clientid}/${qos}/${user_property.site}/${node}")
                .render(published(m))).isEqualTo("c1/1/lab/node-1");
        assertThat(MessageVariables.template("${topic_level.9}|${username}|$$x").render(published(m)))
                .isEqualTo("||$x");
        assertThat(MessageVariables.template("fixed").constant()).isTrue();
    }

    @Test
    void refusesUnknownAndUnclosedPlaceholders() {
        assertThatThrownBy(() -> MessageVariables.template("${clientId}"))
                .hasMessageStartingWith("unknown placeholder ${clientId}; expected one of: topic,");
        assertThatThrownBy(() -> MessageVariables.template("a-${topic")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> MessageVariables.template("${topic_level.0}")).hasMessageContaining("unknown");
    }

    @Test
    void topicFilterSetsMatchTopicsAndCoverFilters() {
        TopicFilterSet set = TopicFilterSet.of(List.of("sensors/#", "alarms/+/critical"));
        assertThat(set.matches("sensors/a/b")).isTrue();
        assertThat(set.matches("alarms/x/critical")).isTrue();
        assertThat(set.matches("alarms/x/minor")).isFalse();
        assertThat(set.matchesFilter("sensors/+/temp")).isTrue();
        assertThat(set.matchesFilter("#")).isFalse();
        assertThatThrownBy(() -> TopicFilterSet.of(List.of("a/#/b"))).hasMessageContaining("# must be");
        assertThatThrownBy(() -> TopicFilterSet.of(List.of("a/b+"))).hasMessageContaining("+ must be");
        assertThatThrownBy(() -> TopicFilterSet.of(List.of())).hasMessageContaining("at least one");
    }
}
