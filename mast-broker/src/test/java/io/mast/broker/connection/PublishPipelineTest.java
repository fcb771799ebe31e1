package io.mast.broker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.broker.connection.PublishPipeline.Pending;
import io.mast.broker.policy.Policy.PublishVerdict;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.codec.packet.Publish;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@link PublishPipeline}: decisions that answer in any order are carried out in the order the packets came, a full
 * window holds the next packet back until the head is carried out, and the end of the pipeline is announced.
 */
class PublishPipelineTest {

    private final List<Runnable> mailbox = new ArrayList<>();
    private final List<Integer> applied = new ArrayList<>();
    private int emptied;
    private final PublishPipeline pipeline = new PublishPipeline(mailbox::add, 3,
            p -> applied.add(p.publish().packetId()), () -> emptied++);

    private static Pending pending(int packetId, CompletableFuture<PublishVerdict> verdict) {
        Publish publish = new Publish(false, Qos.AT_LEAST_ONCE, false, "t", packetId, MqttProperties.EMPTY, new byte[0]);
        return new Pending(publish, null, verdict);
    }

    private void runMailbox() {
        while (!mailbox.isEmpty()) {
            mailbox.removeFirst().run();
        }
    }

    @Test
    void decisionsAnsweredOutOfOrderAreCarriedOutInArrivalOrder() {
        CompletableFuture<PublishVerdict> first = new CompletableFuture<>();
        CompletableFuture<PublishVerdict> second = new CompletableFuture<>();
        assertThat(pipeline.add(pending(1, first))).isNull();
        assertThat(pipeline.add(pending(2, second))).isNull();

        second.complete(PublishVerdict.ALLOW);
        runMailbox();
        assertThat(applied).as("the second waits for the first").isEmpty();
        assertThat(pipeline.isEmpty()).isFalse();

        first.complete(PublishVerdict.ALLOW);
        runMailbox();
        assertThat(applied).containsExactly(1, 2);
        assertThat(pipeline.isEmpty()).isTrue();
        assertThat(emptied).isEqualTo(1);
    }

    @Test
    void aDecisionAlreadyMadeIsCarriedOutAtOnce() {
        assertThat(pipeline.add(pending(1, CompletableFuture.completedFuture(PublishVerdict.ALLOW)))).isNull();
        assertThat(applied).containsExactly(1);
        assertThat(emptied).isEqualTo(1);
    }

    @Test
    void aFullWindowHoldsTheNextPacketUntilTheHeadIsCarriedOut() {
        CompletableFuture<PublishVerdict> head = new CompletableFuture<>();
        assertThat(pipeline.add(pending(1, head))).isNull();
        assertThat(pipeline.add(pending(2, new CompletableFuture<>()))).isNull();
        CompletableFuture<Void> room = pipeline.add(pending(3, new CompletableFuture<>()));
        assertThat(room).as("three decisions under way fill a window of three").isNotNull().isNotDone();

        head.complete(PublishVerdict.DENY);
        runMailbox();
        assertThat(applied).as("a refusal is carried out too (its acknowledgement)").containsExactly(1);
        assertThat(room).isDone();
        assertThat(emptied).isZero();
    }
}
