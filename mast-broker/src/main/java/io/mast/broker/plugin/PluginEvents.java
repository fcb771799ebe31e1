package io.mast.broker.plugin;

import io.mast.broker.events.BrokerEvents;
import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.routing.SubscriptionEntry;
import io.mast.broker.events.SessionView;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.MqttPacket;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.DisconnectInfo;
import io.mast.plugin.DropReason;
import io.mast.plugin.Message;
import io.mast.plugin.PacketInfo;
import io.mast.plugin.SessionInfo;
import io.mast.plugin.Subscription;

/**
 * Turns the broker's events into plugin events: the arguments are built only when some plugin overrides the event,
 * once for all plugins, then queued on each plugin's lane for the client.
 */
final class PluginEvents implements BrokerEvents {

    private final PluginRuntime rt;
    private final boolean messages;
    private final boolean packets;

    PluginEvents(PluginRuntime rt) {
        this.rt = rt;
        this.messages = rt.handles(EventType.MESSAGE_RECEIVED) || rt.handles(EventType.MESSAGE_PUBLISHED)
                || rt.handles(EventType.MESSAGE_DELIVERED) || rt.handles(EventType.MESSAGE_ACKED)
                || rt.handles(EventType.MESSAGE_DROPPED);
        this.packets = rt.handles(EventType.PACKET_RECEIVED) || rt.handles(EventType.PACKET_SENT);
    }

    @Override
    public boolean wantsMessages() {
        return messages;
    }

    @Override
    public boolean wantsPackets() {
        return packets;
    }

    @Override
    public void clientConnect(Connect connect, ConnectionInfo client) {
        if (rt.handles(EventType.CLIENT_CONNECT)) {
            ConnectInfo c = Views.connect(connect, client);
            rt.fire(EventType.CLIENT_CONNECT, client.clientId(), p -> p.onClientConnect(c));
        }
    }

    @Override
    public void clientConnack(Connect connect, ConnectionInfo client, ReasonCode reasonCode) {
        if (rt.handles(EventType.CLIENT_CONNACK)) {
            ConnectInfo c = Views.connect(connect, client);
            int code = reasonCode.value();
            rt.fire(EventType.CLIENT_CONNACK, client.clientId(), p -> p.onClientConnack(c, code));
        }
    }

    @Override
    public void clientConnected(ConnectionInfo client) {
        if (rt.handles(EventType.CLIENT_CONNECTED)) {
            rt.fire(EventType.CLIENT_CONNECTED, client.clientId(), p -> p.onClientConnected(client));
        }
    }

    @Override
    public void clientDisconnected(ConnectionInfo client, ReasonCode reasonCode, String reason, boolean byClient,
                                   boolean willSent) {
        if (rt.handles(EventType.CLIENT_DISCONNECTED)) {
            DisconnectInfo d = new DisconnectInfo(reasonCode.value(), reason, byClient, willSent);
            rt.fire(EventType.CLIENT_DISCONNECTED, client.clientId(), p -> p.onClientDisconnected(client, d));
        }
    }

    private void session(EventType type, SessionView s, java.util.function.Function<SessionInfo, PluginRuntime.PluginCall> call) {
        if (rt.handles(type)) {
            SessionInfo info = s.snapshot();
            rt.fire(type, s.clientId(), call.apply(info));
        }
    }

    @Override
    public void sessionCreated(SessionView s) {
        session(EventType.SESSION_CREATED, s, info -> p -> p.onSessionCreated(info));
    }

    @Override
    public void sessionResumed(SessionView s) {
        session(EventType.SESSION_RESUMED, s, info -> p -> p.onSessionResumed(info));
    }

    @Override
    public void sessionDiscarded(SessionView s) {
        session(EventType.SESSION_DISCARDED, s, info -> p -> p.onSessionDiscarded(info));
    }

    @Override
    public void sessionTakenOver(SessionView s) {
        session(EventType.SESSION_TAKEN_OVER, s, info -> p -> p.onSessionTakenOver(info));
    }

    @Override
    public void sessionTerminated(SessionView s, String reason) {
        session(EventType.SESSION_TERMINATED, s, info -> p -> p.onSessionTerminated(info, reason));
    }

    @Override
    public void subscribed(ConnectionInfo client, SubscriptionEntry subscription) {
        if (rt.handles(EventType.CLIENT_SUBSCRIBED)) {
            Subscription s = Views.subscription(subscription);
            rt.fire(EventType.CLIENT_SUBSCRIBED, client.clientId(), p -> p.onClientSubscribed(client, s));
        }
    }

    @Override
    public void unsubscribed(ConnectionInfo client, String filter) {
        if (rt.handles(EventType.CLIENT_UNSUBSCRIBED)) {
            rt.fire(EventType.CLIENT_UNSUBSCRIBED, client.clientId(), p -> p.onClientUnsubscribed(client, filter));
        }
    }

    @Override
    public void retainedSet(ConnectionInfo client, BrokerMessage message) {
        if (rt.handles(EventType.RETAINED_SET)) {
            Message m = Views.message(message, System.currentTimeMillis());
            rt.fire(EventType.RETAINED_SET, client == null ? null : client.clientId(), p -> p.onRetainedMessageSet(client, m));
        }
    }

    @Override
    public void retainedCleared(ConnectionInfo client, String topic) {
        if (rt.handles(EventType.RETAINED_CLEARED)) {
            rt.fire(EventType.RETAINED_CLEARED, client == null ? null : client.clientId(),
                    p -> p.onRetainedMessageCleared(client, topic));
        }
    }

    private void message(EventType type, ConnectionInfo client, BrokerMessage message,
                         java.util.function.Function<Message, PluginRuntime.PluginCall> call) {
        if (rt.handles(type)) {
            Message m = Views.message(message, System.currentTimeMillis());
            rt.fire(type, client == null ? null : client.clientId(), call.apply(m));
        }
    }

    @Override
    public void messageReceived(ConnectionInfo publisher, BrokerMessage message) {
        message(EventType.MESSAGE_RECEIVED, publisher, message, m -> p -> p.onMessageReceived(publisher, m));
    }

    @Override
    public void messagePublished(ConnectionInfo publisher, BrokerMessage message) {
        message(EventType.MESSAGE_PUBLISHED, publisher, message, m -> p -> p.onMessagePublished(publisher, m));
    }

    @Override
    public void messageDelivered(ConnectionInfo subscriber, BrokerMessage message) {
        message(EventType.MESSAGE_DELIVERED, subscriber, message, m -> p -> p.onMessageDelivered(subscriber, m));
    }

    @Override
    public void messageAcked(ConnectionInfo subscriber, BrokerMessage message) {
        message(EventType.MESSAGE_ACKED, subscriber, message, m -> p -> p.onMessageAcked(subscriber, m));
    }

    @Override
    public void messageDropped(ConnectionInfo subscriber, BrokerMessage message, DropReason reason) {
        message(EventType.MESSAGE_DROPPED, subscriber, message, m -> p -> p.onMessageDropped(subscriber, m, reason));
    }

    @Override
    public void packetReceived(ConnectionInfo client, MqttPacket packet) {
        if (rt.handles(EventType.PACKET_RECEIVED)) {
            PacketInfo info = Views.packet(packet);
            rt.fire(EventType.PACKET_RECEIVED, client == null ? null : client.clientId(),
                    p -> p.onPacketReceived(client, info));
        }
    }

    @Override
    public void packetSent(ConnectionInfo client, MqttPacket packet) {
        if (rt.handles(EventType.PACKET_SENT)) {
            PacketInfo info = Views.packet(packet);
            rt.fire(EventType.PACKET_SENT, client == null ? null : client.clientId(), p -> p.onPacketSent(client, info));
        }
    }
}
