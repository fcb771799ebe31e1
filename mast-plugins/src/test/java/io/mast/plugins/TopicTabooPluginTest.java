package io.mast.plugins;

import static io.mast.plugins.TestContext.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mast.plugin.Decision;
import io.mast.plugin.TopicAction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Taboo topics: aMQTT's defaults, a configured list with wildcards, exempt users. */
class TopicTabooPluginTest {

    private static Decision.Kind decide(TopicTabooPlugin p, String user, TopicAction a, String topic) {
        return p.authorize(client(user, "c"), a, topic).kind();
    }

    @Test
    void defaultsAreAmqttsListAndAdmin() {
        try (TestContext ctx = TestContext.of(TopicTabooPlugin.class, Map.of())) {
            TopicTabooPlugin p = new TopicTabooPlugin(ctx);
            for (String topic : List.of("prohibited", "top-secret", "data/classified")) {
                for (TopicAction a : TopicAction.values()) {
                    assertThat(decide(p, "user", a, topic)).as("%s %s", a, topic).isEqualTo(Decision.Kind.DENY);
                    assertThat(decide(p, null, a, topic)).as("anonymous %s %s", a, topic).isEqualTo(Decision.Kind.DENY);
                    assertThat(decide(p, "admin", a, topic)).as("admin %s %s", a, topic).isEqualTo(Decision.Kind.ABSTAIN);
                }
            }
            assertThat(decide(p, "user", TopicAction.PUBLISH, "data/public")).isEqualTo(Decision.Kind.ABSTAIN);
            assertThat(decide(p, "user", TopicAction.PUBLISH, "prohibited/sub")).isEqualTo(Decision.Kind.ABSTAIN);
            assertThat(p.authorize(null, TopicAction.PUBLISH, "prohibited").kind()).isEqualTo(Decision.Kind.ABSTAIN);
        }
    }

    @Test
    void configuredFiltersWithWildcards() {
        try (TestContext ctx = TestContext.of(TopicTabooPlugin.class, Map.of("topics", List.of("secret/#", "+/pin"),
                "exempt_users", List.of("root", "ops")))) {
            TopicTabooPlugin p = new TopicTabooPlugin(ctx);
            assertThat(decide(p, "u", TopicAction.PUBLISH, "secret/a/b")).isEqualTo(Decision.Kind.DENY);
            assertThat(decide(p, "u", TopicAction.RECEIVE, "card/pin")).isEqualTo(Decision.Kind.DENY);
            assertThat(decide(p, "u", TopicAction.SUBSCRIBE, "secret/+")).isEqualTo(Decision.Kind.DENY);
            assertThat(decide(p, "u", TopicAction.SUBSCRIBE, "$share/g/secret/#")).isEqualTo(Decision.Kind.DENY);
            // a filter reaching beyond the taboo is allowed; its taboo messages are refused at delivery
            assertThat(decide(p, "u", TopicAction.SUBSCRIBE, "#")).isEqualTo(Decision.Kind.ABSTAIN);
            assertThat(decide(p, "ops", TopicAction.PUBLISH, "secret/a")).isEqualTo(Decision.Kind.ABSTAIN);
            assertThat(decide(p, "admin", TopicAction.PUBLISH, "secret/a")).isEqualTo(Decision.Kind.DENY);
        }
    }

    @Test
    void invalidFilterFailsStartup() {
        try (TestContext ctx = TestContext.of(TopicTabooPlugin.class, Map.of("topics", List.of("a/#/b")))) {
            assertThatThrownBy(() -> new TopicTabooPlugin(ctx))
                    .hasMessage("topics: # must be a whole level, and the last: a/#/b");
        }
    }
}
