package io.mast.broker.session;

import io.mast.broker.message.BrokerMessage;
import io.mast.broker.routing.SharedGroup;
import io.mast.codec.Qos;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A message for one session and how to send it.
 *
 * @param sequence     its number in the session's store entries (0 for QoS 0, which is not stored)
 * @param group        the shared subscription it was picked for, or {@code null}
 * @param receiveCheck a RECEIVE decision asked of the plugins, or {@code null} when none was
 */
record Delivery(BrokerMessage message, Qos qos, boolean retainFlag, List<Integer> subscriptionIds, SharedGroup group,
                long sequence, CompletableFuture<Boolean> receiveCheck) {

    Delivery(BrokerMessage message, Qos qos, boolean retainFlag, List<Integer> subscriptionIds, SharedGroup group,
             long sequence) {
        this(message, qos, retainFlag, subscriptionIds, group, sequence, null);
    }

    Delivery withReceiveCheck(CompletableFuture<Boolean> check) {
        return new Delivery(message, qos, retainFlag, subscriptionIds, group, sequence, check);
    }

    /** False while a pending RECEIVE decision holds this delivery back. */
    boolean decided() {
        return receiveCheck == null || receiveCheck.isDone();
    }

    /** True when a RECEIVE decision refused it. */
    boolean refused() {
        return receiveCheck != null && (receiveCheck.isCompletedExceptionally() || !receiveCheck.join());
    }
}
