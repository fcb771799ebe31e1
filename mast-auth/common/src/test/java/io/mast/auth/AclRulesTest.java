package io.mast.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mast.auth.AclRule.Permission;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.TopicAction;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AclRulesTest {

    /** A client as the broker describes it to plugins. */
    record Client(String clientId, String username, int protocolVersion, InetSocketAddress remoteAddress,
                  int localPort, String listener, int keepAlive, boolean cleanStart, long connectedAt)
            implements ClientInfo {
    }

    static ClientInfo client(String clientId, String username) {
        return new Client(clientId, username, 5, new InetSocketAddress("127.0.0.1", 40000), 1883, "tcp", 60, true, 1);
    }

    static final ClientInfo ALICE = client("dev-1", "alice");

    private static Permission pub(AclRules r, ClientInfo c, String topic, int qos, boolean retain) {
        return r.check(c, TopicAction.PUBLISH, topic, qos, retain);
    }

    private static Permission sub(AclRules r, ClientInfo c, String filter) {
        return r.check(c, TopicAction.SUBSCRIBE, filter, 0, false);
    }

    @Test
    void firstMatchingRuleDecidesAndNoMatchIsNoOpinion() {
        AclRules r = AclRules.parse(List.of(
                Map.of("permission", "deny", "action", "all", "topic", "a/secret"),
                Map.of("permission", "allow", "action", "publish", "topic", "a/#"),
                Map.of("permission", "allow", "action", "sub", "topics", List.of("b/+", "c/#"))));
        assertThat(pub(r, ALICE, "a/secret", 0, false)).isEqualTo(Permission.DENY);
        assertThat(pub(r, ALICE, "a/x/y", 1, false)).isEqualTo(Permission.ALLOW);
        assertThat(sub(r, ALICE, "a/x")).as("publish rules say nothing about subscribe").isNull();
        assertThat(sub(r, ALICE, "b/1")).isEqualTo(Permission.ALLOW);
        assertThat(sub(r, ALICE, "c/+/d")).as("c/# covers c/+/d").isEqualTo(Permission.ALLOW);
        assertThat(sub(r, ALICE, "b/#")).as("b/+ does not cover b/#").isNull();
        assertThat(sub(r, ALICE, "$share/g/b/2")).as("a shared subscription by its filter").isEqualTo(Permission.ALLOW);
        assertThat(pub(r, ALICE, "z", 0, false)).isNull();
    }

    @Test
    void qosAndRetainConditionsApplyToPublish() {
        AclRules r = AclRules.parse(List.of(
                Map.of("permission", "deny", "action", "publish", "topic", "#", "retain", true),
                Map.of("permission", "allow", "action", "publish", "topic", "t", "qos", List.of(0, 1)),
                Map.of("permission", "allow", "action", "publish", "topic", "u", "qos", "1,2")));
        assertThat(pub(r, ALICE, "t", 1, true)).isEqualTo(Permission.DENY);
        assertThat(pub(r, ALICE, "t", 1, false)).isEqualTo(Permission.ALLOW);
        assertThat(pub(r, ALICE, "t", 2, false)).isNull();
        assertThat(pub(r, ALICE, "u", 0, false)).isNull();
        assertThat(pub(r, ALICE, "u", 2, false)).isEqualTo(Permission.ALLOW);
    }

    @Test
    void placeholdersAndEq() {
        AclRules r = AclRules.parse(List.of(
                Map.of("permission", "allow", "action", "all", "topic", "users/${username}/#"),
                Map.of("permission", "allow", "action", "all", "topic", "clients/%c/#"),
                Map.of("permission", "allow", "action", "subscribe", "topic", "eq wild/#")));
        assertThat(pub(r, ALICE, "users/alice/x", 0, false)).isEqualTo(Permission.ALLOW);
        assertThat(pub(r, ALICE, "users/bob/x", 0, false)).isNull();
        assertThat(pub(r, ALICE, "clients/dev-1/s", 0, false)).isEqualTo(Permission.ALLOW);
        assertThat(sub(r, ALICE, "wild/#")).isEqualTo(Permission.ALLOW);
        assertThat(sub(r, ALICE, "wild/x")).as("eq is literal").isNull();
        // A user name that would widen the rule makes it match nothing.
        assertThat(pub(r, client("c", "#"), "users/x/y", 0, false)).isNull();
        assertThat(pub(r, client("c", "a/b"), "users/a/b/z", 0, false)).isNull();
        assertThat(pub(r, client("c", null), "users//z", 0, false)).isNull();
    }

    @Test
    void theOlderObjectFormatAllowsWhatItListsAndDeniesTheRest() {
        AclRules r = AclRules.parse(Map.of("pub", List.of("p/#"), "sub", List.of("s/#"), "all", List.of("x")));
        assertThat(pub(r, ALICE, "p/1", 0, false)).isEqualTo(Permission.ALLOW);
        assertThat(sub(r, ALICE, "p/1")).isEqualTo(Permission.DENY);
        assertThat(sub(r, ALICE, "s/1")).isEqualTo(Permission.ALLOW);
        assertThat(pub(r, ALICE, "x", 0, false)).isEqualTo(Permission.ALLOW);
        assertThat(pub(r, ALICE, "other", 0, false)).isEqualTo(Permission.DENY);
    }

    @Test
    void badRulesSayWhatIsWrong() {
        assertThatThrownBy(() -> AclRules.parse(List.of(Map.of("permission", "maybe", "action", "all", "topic", "a"))))
                .hasMessage("acl rule 1: permission must be allow or deny, got maybe");
        assertThatThrownBy(() -> AclRules.parse(List.of(Map.of("permission", "allow", "action", "all"))))
                .hasMessageContaining("needs a topic");
        assertThatThrownBy(() -> AclRules.parse(List.of(Map.of("permission", "allow", "action", "all", "topic",
                "a/#/b")))).hasMessageContaining("not a valid topic filter");
        assertThatThrownBy(() -> AclRules.parse(List.of(Map.of("permission", "allow", "action", "all", "topic",
                "${password}")))).hasMessageContaining("unknown placeholder ${password}");
        assertThatThrownBy(() -> AclRules.parse("text")).hasMessageContaining("must be a list");
    }
}
