package io.mast.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mast.plugin.Decision;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicFilters;
import java.io.IOException;

/**
 * Fuzzes the ACL file parser, {@link AclRules#read}: any file gives rules or an {@link IllegalArgumentException} whose
 * message is one line {@code file:line: problem}; never another exception. The rules then decide a request without
 * throwing.
 *
 * <p>The input: the file's bytes, then optionally a NUL byte and the request, one item a line: the user name (an empty
 * line: no user name), the client identifier, the topic (a filter for a subscription), and a digit whose value modulo 3
 * picks publish, subscribe or receive. The corpus in {@code AclRulesFuzzTestInputs/read} holds the docs' example.
 */
class AclRulesFuzzTest {

    @FuzzTest
    void read(byte[] bytes) throws IOException {
        FuzzInput input = FuzzInput.of(bytes, "acl");
        AclRules rules;
        try {
            rules = AclRules.read(input.file());
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).matches(input.problemInLine());
            return;
        }
        assertThat(rules.describe()).isNotBlank();
        String user = input.line(0).isEmpty() ? null : input.line(0);
        String clientId = input.line(1);
        String topic = input.line(2);
        String digit = input.line(3);
        TopicAction action = TopicAction.values()[(digit.isEmpty() ? 0 : digit.charAt(0)) % 3];
        boolean valid = action == TopicAction.SUBSCRIBE ? TopicFilters.isTopicFilter(topic) : TopicFilters.isTopicName(topic);
        if (!valid || clientId.isEmpty()) {
            return; // the broker asks only about valid topics and filters, for a client with an identifier
        }
        Decision strict = rules.decide(user, clientId, action, topic, true);
        Decision lenient = rules.decide(user, clientId, action, topic, false);
        // Whether unmatched requests are denied changes only the answer to those: an allow or a rule's deny stays.
        assertThat(strict.kind()).isEqualTo(lenient.kind() == Decision.Kind.ABSTAIN ? Decision.Kind.DENY : lenient.kind());
    }
}
