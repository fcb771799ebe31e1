package io.mast.broker.routing;

import static io.mast.broker.routing.Entries.message;
import static io.mast.broker.routing.Entries.sub;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.Qos;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final ConcurrentTopicTree tree = new ConcurrentTopicTree();
    private final Router router = new Router(tree);
    private final FakeSubscriber a = new FakeSubscriber("a");
    private final FakeSubscriber b = new FakeSubscriber("b");

    @Test
    void downgradesToTheSubscriptionQos() {
        tree.subscribe(sub(a, "t", Qos.AT_LEAST_ONCE));
        router.route(message("t", Qos.EXACTLY_ONCE, false), null);
        assertThat(a.received).singleElement().extracting(FakeSubscriber.Received::qos).isEqualTo(Qos.AT_LEAST_ONCE);
    }

    @Test
    void overlappingSubscriptionsGiveOneCopyAtTheHighestQosWithAllIdentifiers() {
        tree.subscribe(sub(a, "t/#", Qos.AT_MOST_ONCE, false, false, 7));
        tree.subscribe(sub(a, "t/+", Qos.EXACTLY_ONCE, false, false, 9));
        tree.subscribe(sub(a, "t/x", Qos.AT_LEAST_ONCE, false, false, 0));
        tree.subscribe(sub(b, "t/x", Qos.AT_MOST_ONCE));
        Router.Result r = router.route(message("t/x", Qos.EXACTLY_ONCE, false), null);
        assertThat(r.deliveries()).isEqualTo(2);
        assertThat(a.received).singleElement().satisfies(x -> {
            assertThat(x.qos()).isEqualTo(Qos.EXACTLY_ONCE);
            assertThat(x.ids()).containsExactlyInAnyOrder(7, 9);
        });
        assertThat(b.received).hasSize(1);
    }

    @Test
    void noLocalSkipsThePublishersOwnSubscription() {
        tree.subscribe(sub(a, "t", Qos.AT_MOST_ONCE, true, false, 0));
        tree.subscribe(sub(b, "t", Qos.AT_MOST_ONCE, true, false, 0));
        router.route(message("t", Qos.AT_MOST_ONCE, false), a);
        assertThat(a.received).isEmpty();
        assertThat(b.received).hasSize(1);
    }

    @Test
    void noLocalOnOneOverlappingSubscriptionKeepsTheOther() {
        tree.subscribe(sub(a, "t", Qos.AT_MOST_ONCE, true, false, 0));
        tree.subscribe(sub(a, "#", Qos.AT_MOST_ONCE, false, false, 0));
        router.route(message("t", Qos.AT_MOST_ONCE, false), a);
        assertThat(a.received).hasSize(1);
    }

    @Test
    void retainFlagIsKeptOnlyWithRetainAsPublished() {
        tree.subscribe(sub(a, "t", Qos.AT_MOST_ONCE, false, true, 0));
        tree.subscribe(sub(b, "t", Qos.AT_MOST_ONCE, false, false, 0));
        router.route(message("t", Qos.AT_MOST_ONCE, true), null);
        assertThat(a.received.get(0).retainFlag()).isTrue();
        assertThat(b.received.get(0).retainFlag()).isFalse();
    }

    @Test
    void sharedSubscriptionGoesToOneMemberAndReportsTheGroup() {
        tree.subscribe(sub(a, "$share/g/t", Qos.AT_LEAST_ONCE));
        tree.subscribe(sub(b, "$share/g/t", Qos.AT_LEAST_ONCE));
        for (int i = 0; i < 10; i++) {
            assertThat(router.route(message("t", Qos.AT_LEAST_ONCE, false), null).deliveries()).isEqualTo(1);
        }
        assertThat(a.received).hasSize(5);
        assertThat(b.received).hasSize(5);
        assertThat(a.received.get(0).group()).isNotNull();
    }

    @Test
    void reportsACongestedSubscriber() {
        tree.subscribe(sub(a, "t", Qos.AT_MOST_ONCE));
        tree.subscribe(sub(b, "t", Qos.AT_MOST_ONCE));
        b.congested = true;
        assertThat(router.route(message("t", Qos.AT_MOST_ONCE, false), null).congested()).isSameAs(b);
    }

    @Test
    void noSubscriberNoDelivery() {
        assertThat(router.route(message("nobody", Qos.AT_MOST_ONCE, false), null).deliveries()).isZero();
    }
}
