package io.mast.broker.routing;

import static io.mast.broker.routing.Entries.sub;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.Qos;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedGroupTest {

    private final SharedGroup group = new SharedGroup("g", "t/#");
    private final FakeSubscriber a = new FakeSubscriber("a");
    private final FakeSubscriber b = new FakeSubscriber("b");
    private final FakeSubscriber c = new FakeSubscriber("c");

    private Map<String, Integer> picks(int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(group.pick().subscriber().clientId(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void picksMembersRoundRobin() {
        group.add(sub(a, "$share/g/t/#", Qos.AT_LEAST_ONCE));
        group.add(sub(b, "$share/g/t/#", Qos.AT_LEAST_ONCE));
        group.add(sub(c, "$share/g/t/#", Qos.AT_LEAST_ONCE));
        assertThat(picks(30)).containsEntry("a", 10).containsEntry("b", 10).containsEntry("c", 10);
    }

    @Test
    void prefersOnlineMembers() {
        group.add(sub(a, "$share/g/t/#", Qos.AT_LEAST_ONCE));
        group.add(sub(b, "$share/g/t/#", Qos.AT_LEAST_ONCE));
        a.online = false;
        assertThat(picks(10)).containsOnlyKeys("b");
    }

    @Test
    void picksAnOfflineMemberWhenNoneIsOnline() {
        group.add(sub(a, "$share/g/t/#", Qos.AT_LEAST_ONCE));
        a.online = false;
        assertThat(group.pick().subscriber()).isSameAs(a);
    }

    @Test
    void pickExceptSkipsTheLeavingMember() {
        group.add(sub(a, "$share/g/t/#", Qos.AT_LEAST_ONCE));
        group.add(sub(b, "$share/g/t/#", Qos.AT_LEAST_ONCE));
        for (int i = 0; i < 10; i++) {
            assertThat(group.pickExcept(a).subscriber()).isSameAs(b);
        }
        assertThat(group.remove(b)).isNotNull();
        assertThat(group.pickExcept(a)).isNull();
    }

    @Test
    void addingAgainReplacesTheMember() {
        group.add(sub(a, "$share/g/t/#", Qos.AT_MOST_ONCE));
        SubscriptionEntry previous = group.add(sub(a, "$share/g/t/#", Qos.EXACTLY_ONCE));
        assertThat(previous.qos()).isEqualTo(Qos.AT_MOST_ONCE);
        assertThat(group.members()).hasSize(1);
        assertThat(group.pick().qos()).isEqualTo(Qos.EXACTLY_ONCE);
    }

    @Test
    void emptyGroupPicksNobody() {
        assertThat(group.pick()).isNull();
    }
}
