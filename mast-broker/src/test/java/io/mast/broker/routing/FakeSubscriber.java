package io.mast.broker.routing;

import io.mast.broker.message.BrokerMessage;
import io.mast.codec.Qos;
import java.util.ArrayList;
import java.util.List;

/** A subscriber that records what it is given. */
final class FakeSubscriber implements Subscriber {

    record Received(BrokerMessage message, Qos qos, boolean retainFlag, List<Integer> ids, SharedGroup group) {
    }

    final String id;
    final List<Received> received = new ArrayList<>();
    boolean online = true;
    boolean congested;

    FakeSubscriber(String id) {
        this.id = id;
    }

    @Override
    public String clientId() {
        return id;
    }

    @Override
    public boolean isOnline() {
        return online;
    }

    @Override
    public boolean isCongested() {
        return congested;
    }

    @Override
    public void deliver(BrokerMessage message, Qos qos, boolean retainFlag, List<Integer> subscriptionIds, SharedGroup group) {
        received.add(new Received(message, qos, retainFlag, subscriptionIds, group));
    }

    @Override
    public long progress() {
        return received.size();
    }

    @Override
    public void whenRelieved(Runnable action) {
        action.run();
    }

    @Override
    public void stalled() {
    }

    @Override
    public String toString() {
        return id;
    }
}
