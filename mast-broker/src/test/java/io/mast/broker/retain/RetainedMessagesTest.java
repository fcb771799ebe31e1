package io.mast.broker.retain;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.broker.message.BrokerMessage;
import io.mast.broker.store.Persistence;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetainedMessagesTest {

    private final RetainedMessages retained = new RetainedMessages(Persistence.MEMORY);

    private static BrokerMessage msg(String topic, String payload, long expiresAt) {
        return new BrokerMessage(topic, payload.getBytes(), Qos.AT_LEAST_ONCE, true, MqttProperties.EMPTY, "p", 0,
                expiresAt);
    }

    private List<String> topics(String filter) {
        return retained.match(filter, 1000).stream().map(BrokerMessage::topic).sorted().toList();
    }

    @Test
    void setReplaceAndClear() {
        retained.retain(msg("a/b", "1", 0));
        retained.retain(msg("a/b", "2", 0));
        assertThat(retained.size()).isEqualTo(1);
        assertThat(new String(retained.get("a/b").payload())).isEqualTo("2");
        retained.retain(msg("a/b", "", 0));
        assertThat(retained.get("a/b")).isNull();
        assertThat(retained.size()).isZero();
    }

    @Test
    void wildcardFiltersFindTheirMessages() {
        for (String t : List.of("a", "a/b", "a/b/c", "a/x/c", "b/b", "/lead", "$SYS/x", "a/")) {
            retained.retain(msg(t, "v", 0));
        }
        assertThat(topics("a/#")).containsExactly("a", "a/", "a/b", "a/b/c", "a/x/c");
        assertThat(topics("a/+/c")).containsExactly("a/b/c", "a/x/c");
        assertThat(topics("+/b")).containsExactly("a/b", "b/b");
        assertThat(topics("#")).containsExactly("/lead", "a", "a/", "a/b", "a/b/c", "a/x/c", "b/b");
        assertThat(topics("+/x")).isEmpty();
        assertThat(topics("$SYS/#")).containsExactly("$SYS/x");
        assertThat(topics("a/+")).containsExactly("a/", "a/b");
        assertThat(topics("a/b")).containsExactly("a/b");
    }

    @Test
    void expiredMessagesAreSkippedAndRemoved() {
        retained.retain(msg("e/1", "old", 500));
        retained.retain(msg("e/2", "new", 5000));
        assertThat(topics("e/+")).containsExactly("e/2");
        assertThat(retained.get("e/1")).isNull();
        assertThat(retained.size()).isEqualTo(1);
    }

    @Test
    void clearingPrunesEmptyLevelsButKeepsOthers() {
        retained.retain(msg("p/q/r", "v", 0));
        retained.retain(msg("p/q", "v", 0));
        assertThat(retained.clear("p/q/r")).isTrue();
        assertThat(retained.clear("p/q/r")).isFalse();
        assertThat(topics("p/#")).containsExactly("p/q");
    }
}
