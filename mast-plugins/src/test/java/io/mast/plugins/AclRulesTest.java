package io.mast.plugins;

import static io.mast.plugin.TopicAction.PUBLISH;
import static io.mast.plugin.TopicAction.RECEIVE;
import static io.mast.plugin.TopicAction.SUBSCRIBE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mast.plugin.Decision;
import io.mast.plugin.TopicAction;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing ACL files and the decisions of their rules, including attempts to abuse %u and %c. */
class AclRulesTest {

    private static AclRules rules(String... lines) {
        return AclRules.parse(List.of(lines), "acl");
    }

    private static Decision.Kind decide(AclRules r, String user, String clientId, TopicAction a, String topic) {
        return r.decide(user, clientId, a, topic, true).kind();
    }

    private static final Decision.Kind ALLOW = Decision.Kind.ALLOW;
    private static final Decision.Kind DENY = Decision.Kind.DENY;

    /** The example of docs/builtin-plugins.md. */
    static final AclRules EXAMPLE = rules(
            "# Mast ACL file",
            "topic read public/#",
            "",
            "user alice",
            "topic readwrite alice/#",
            "topic deny alice/secrets/#",
            "topic read sensors/+/temperature",
            "",
            "user bob",
            "topic subscribe reports/#",
            "topic receive reports/daily",
            "topic write commands/bob",
            "",
            "client gateway-7",
            "topic publish devices/7/#",
            "",
            "pattern readwrite users/%u/#",
            "pattern write clients/%c/status");

    @ParameterizedTest(name = "{0} as {1}: {2} {3} -> {4}")
    @CsvSource(nullValues = "-", value = {
            // anonymous clients: the lines before the first user line
            "-,      anon,      SUBSCRIBE, public/#,                 ALLOW",
            "-,      anon,      RECEIVE,   public/news,              ALLOW",
            "-,      anon,      PUBLISH,   public/news,              DENY",
            "-,      anon,      SUBSCRIBE, alice/#,                  DENY",
            // ... which do not apply to users
            "alice,  a1,        RECEIVE,   public/news,              DENY",
            // alice's section, deny wins over readwrite
            "alice,  a1,        PUBLISH,   alice/notes,              ALLOW",
            "alice,  a1,        SUBSCRIBE, alice/+/x,                ALLOW",
            "alice,  a1,        PUBLISH,   alice/secrets/pin,        DENY",
            "alice,  a1,        RECEIVE,   alice/secrets/pin,        DENY",
            "alice,  a1,        SUBSCRIBE, alice/secrets/#,          DENY",
            "alice,  a1,        SUBSCRIBE, alice/secrets/+,          DENY",
            // a subscription that merely overlaps a deny rule is allowed; its taboo messages are not received
            "alice,  a1,        SUBSCRIBE, alice/#,                  ALLOW",
            // subscribe needs a rule covering the whole filter
            "alice,  a1,        SUBSCRIBE, sensors/+/temperature,    ALLOW",
            "alice,  a1,        SUBSCRIBE, sensors/kitchen/temperature, ALLOW",
            "alice,  a1,        SUBSCRIBE, sensors/#,                DENY",
            "alice,  a1,        SUBSCRIBE, sensors/+/+,              DENY",
            "alice,  a1,        PUBLISH,   sensors/k/temperature,    DENY",
            // shared subscriptions are judged by their filter
            "alice,  a1,        SUBSCRIBE, $share/g/alice/x,         ALLOW",
            "alice,  a1,        SUBSCRIBE, $share/g/sensors/#,       DENY",
            // the new access types: subscribe and receive separately
            "bob,    b1,        SUBSCRIBE, reports/#,                ALLOW",
            "bob,    b1,        RECEIVE,   reports/daily,            ALLOW",
            "bob,    b1,        RECEIVE,   reports/hourly,           DENY",
            "bob,    b1,        PUBLISH,   reports/daily,            DENY",
            "bob,    b1,        PUBLISH,   commands/bob,             ALLOW",
            "bob,    b1,        SUBSCRIBE, commands/bob,             DENY",
            // client sections apply by client id, with or without a user name
            "bob,    gateway-7, PUBLISH,   devices/7/up,             ALLOW",
            "-,      gateway-7, PUBLISH,   devices/7/up,             ALLOW",
            "bob,    gateway-8, PUBLISH,   devices/7/up,             DENY",
            // patterns apply to everybody
            "alice,  a1,        PUBLISH,   users/alice/x,            ALLOW",
            "alice,  a1,        RECEIVE,   users/bob/x,              DENY",
            "bob,    b1,        SUBSCRIBE, users/bob/#,              ALLOW",
            "bob,    b1,        SUBSCRIBE, users/+/#,                DENY",
            "-,      anon,      PUBLISH,   users/anon/x,             DENY",
            "-,      anon,      PUBLISH,   clients/anon/status,      ALLOW",
            "carol,  c1,        PUBLISH,   clients/c1/status,        ALLOW",
            "carol,  c1,        PUBLISH,   clients/c2/status,        DENY",
            // # does not reach $ topics
            "alice,  a1,        RECEIVE,   $SYS/broker/uptime,       DENY",
    })
    void decidesAsTheExampleSays(String user, String clientId, TopicAction action, String topic, Decision.Kind expected) {
        assertThat(decide(EXAMPLE, user, clientId, action, topic)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "user [{0}] client [{1}]")
    @CsvSource(nullValues = "-", value = {
            "+,      c1",
            "#,      c1",
            "a/b,    c1",
            "'',     c1",
            "%c,     victim",
            "$SYS,   c1",
    })
    void userNamesCannotWidenAPattern(String user, String clientId) {
        AclRules r = rules("pattern readwrite %u/#", "pattern readwrite users/%u/#", "pattern read inbox/%u");
        for (String topic : List.of("victim/x", "users/victim/x", "users/+/x", "inbox/victim", "$SYS/broker/uptime",
                "users/a/b/x", "users//x")) {
            for (TopicAction a : TopicAction.values()) {
                assertThat(decide(r, user, clientId, a, topic)).as("%s %s", a, topic).isEqualTo(DENY);
            }
        }
        for (String filter : List.of("#", "users/#", "users/+/#", "inbox/+", "+/#")) {
            assertThat(decide(r, user, clientId, SUBSCRIBE, filter)).as("SUBSCRIBE %s", filter).isEqualTo(DENY);
        }
    }

    @ParameterizedTest(name = "client [{0}]")
    @CsvSource({"+", "#", "a/b", "''", "%u"})
    void clientIdsCannotWidenAPattern(String clientId) {
        AclRules r = rules("pattern readwrite devices/%c/#");
        for (String filter : List.of("devices/#", "devices/+/#", "devices/victim/#")) {
            assertThat(decide(r, "mallory", clientId, SUBSCRIBE, filter)).as("SUBSCRIBE %s", filter).isEqualTo(DENY);
        }
        assertThat(decide(r, "mallory", clientId, PUBLISH, "devices/victim/x")).isEqualTo(DENY);
        assertThat(decide(r, "victim", clientId, PUBLISH, "devices/victim/x")).isEqualTo(DENY);
    }

    @Test
    void patternsWorkForOrdinaryNamesAndLevelsWithText() {
        AclRules r = rules("pattern read data/%u-%c/#", "pattern readwrite $share-free/%u");
        assertThat(decide(r, "ann", "dev1", RECEIVE, "data/ann-dev1/x")).isEqualTo(ALLOW);
        assertThat(decide(r, "ann", "dev1", RECEIVE, "data/ann-dev2/x")).isEqualTo(DENY);
        assertThat(decide(r, "ann", "dev1", PUBLISH, "$share-free/ann")).as("a $ pattern stays a $ pattern")
                .isEqualTo(ALLOW);
        assertThat(AclRules.substitute("a/%u/%c/%x", "u", "c")).isEqualTo("a/u/c/%x");
    }

    @Test
    void unmatchedIsDenyOrAbstain() {
        AclRules r = rules("user alice", "topic read a/#");
        assertThat(r.decide("alice", "c", PUBLISH, "b", true).kind()).isEqualTo(DENY);
        assertThat(r.decide("alice", "c", PUBLISH, "b", false).kind()).isEqualTo(Decision.Kind.ABSTAIN);
        assertThat(r.decide("alice", "c", RECEIVE, "a/x", false).kind()).isEqualTo(ALLOW);
        AclRules d = rules("user alice", "topic deny a/#");
        assertThat(d.decide("alice", "c", PUBLISH, "a/x", false).kind()).as("deny is not unmatched").isEqualTo(DENY);
    }

    @Test
    void syntaxAsInMosquitto() {
        AclRules r = rules("  topic read  ", "user john smith", "topic write a b/c d", "topic readwrite",
                "user alice", "topic x", "user john smith", "topic read more");
        // one word after topic is the filter itself, with readwrite access
        assertThat(decide(r, null, "c", PUBLISH, "read")).isEqualTo(ALLOW);
        // user names and filters may contain spaces; sections of the same user add up
        assertThat(decide(r, "john smith", "c", PUBLISH, "a b/c d")).isEqualTo(ALLOW);
        assertThat(decide(r, "john smith", "c", RECEIVE, "readwrite")).isEqualTo(ALLOW);
        assertThat(decide(r, "john smith", "c", RECEIVE, "more")).isEqualTo(ALLOW);
        assertThat(decide(r, "alice", "c", PUBLISH, "x")).isEqualTo(ALLOW);
        assertThat(r.size()).isEqualTo(5);
        assertThat(r.describe()).isEqualTo("5 rules (2 users, 0 client ids, 0 patterns)");
    }

    @Test
    void errorsNameTheFileAndLine() {
        assertThatThrownBy(() -> rules("# c", "topc read a")).hasMessage(
                "acl:2: unknown keyword 'topc'; expected topic, pattern, user or client");
        assertThatThrownBy(() -> rules("user")).hasMessage("acl:1: user needs a user name: user <name>");
        assertThatThrownBy(() -> rules("client  ")).hasMessage("acl:1: client needs a client identifier: client <name>");
        assertThatThrownBy(() -> rules("", "topic")).hasMessageStartingWith("acl:2: topic needs a topic filter");
        assertThatThrownBy(() -> rules("topic read a/#/b")).hasMessage("acl:1: # must be a whole level, and the last: a/#/b");
        assertThatThrownBy(() -> rules("pattern write a+/%u")).hasMessage("acl:1: + must be a whole level: a+/%u");
    }
}
