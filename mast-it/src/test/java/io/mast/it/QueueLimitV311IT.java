package io.mast.it;

import static io.mast.it.V311Clients.metric;
import static io.mast.it.V311Clients.paho;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.broker.config.LimitsConfig;
import io.mast.it.V311Clients.Paho;
import io.mast.it.V311Clients.Received;
import io.mast.testkit.MastBrokerExtension;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** limits.max_queued_messages bounds what waits for an offline persistent session. */
class QueueLimitV311IT {

    static final int MAX_QUEUED = 5;

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.withConfig(c -> c.withLimits(
            new LimitsConfig(null, null, null, null, MAX_QUEUED, null, null, null, null)));

    @Test
    void messagesBeyondMaxQueuedMessagesAreDroppedAndCounted() throws Exception {
        try (Paho pub = paho(broker, "bound-pub", true)) {
            try (Paho sub = paho(broker, "bound-sub", false)) {
                sub.subscribe("bound/#", 1);
                sub.client.disconnect();
            }
            V311Clients.awaitOffline(broker, "bound-sub");
            long droppedBefore = metric(broker, "messages.dropped.queue_full");
            List<String> sent = IntStream.range(0, 12).mapToObj(i -> "m" + i).toList();
            for (String m : sent) {
                pub.publish("bound/t", m, 1, false);
            }
            // Sessions take messages in their own mailbox: the count settles shortly after the PUBACKs.
            await().atMost(V311Clients.TIMEOUT).untilAsserted(() ->
                    assertThat(metric(broker, "messages.dropped.queue_full") - droppedBefore)
                            .as("messages that did not fit in the queue").isEqualTo(sent.size() - MAX_QUEUED));
            try (Paho sub = paho(broker, "bound-sub", false)) {
                assertThat(sub.sessionPresent()).isTrue();
                pub.publishMarker("bound/marker");
                // slow_subscribers.overflow is drop_qos0_first: with no QoS 0 message queued, the oldest gives way.
                assertThat(sub.until("bound/marker")).extracting(Received::payload)
                        .as("the last %d messages, in order", MAX_QUEUED)
                        .containsExactlyElementsOf(sent.subList(sent.size() - MAX_QUEUED, sent.size()));
                assertThat(metric(broker, "messages.dropped.queue_full") - droppedBefore)
                        .isEqualTo(sent.size() - MAX_QUEUED);
            }
        }
    }
}
