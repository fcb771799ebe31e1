package io.mast.broker.plugin;

import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.DisconnectInfo;
import io.mast.plugin.DropReason;
import io.mast.plugin.Message;
import io.mast.plugin.PacketInfo;
import io.mast.plugin.SessionInfo;
import io.mast.plugin.Subscription;

/** The events of {@link BrokerPlugin}, each with the method a plugin overrides to receive it. */
enum EventType {
    BROKER_PRE_START("onBrokerPreStart"),
    BROKER_POST_START("onBrokerPostStart"),
    BROKER_PRE_SHUTDOWN("onBrokerPreShutdown"),
    BROKER_POST_SHUTDOWN("onBrokerPostShutdown"),
    CLIENT_CONNECT("onClientConnect", ConnectInfo.class),
    CLIENT_CONNACK("onClientConnack", ConnectInfo.class, int.class),
    CLIENT_CONNECTED("onClientConnected", ClientInfo.class),
    CLIENT_DISCONNECTED("onClientDisconnected", ClientInfo.class, DisconnectInfo.class),
    SESSION_CREATED("onSessionCreated", SessionInfo.class),
    SESSION_RESUMED("onSessionResumed", SessionInfo.class),
    SESSION_DISCARDED("onSessionDiscarded", SessionInfo.class),
    SESSION_TAKEN_OVER("onSessionTakenOver", SessionInfo.class),
    SESSION_TERMINATED("onSessionTerminated", SessionInfo.class, String.class),
    CLIENT_SUBSCRIBED("onClientSubscribed", ClientInfo.class, Subscription.class),
    CLIENT_UNSUBSCRIBED("onClientUnsubscribed", ClientInfo.class, String.class),
    RETAINED_SET("onRetainedMessageSet", ClientInfo.class, Message.class),
    RETAINED_CLEARED("onRetainedMessageCleared", ClientInfo.class, String.class),
    MESSAGE_RECEIVED("onMessageReceived", ClientInfo.class, Message.class),
    MESSAGE_PUBLISHED("onMessagePublished", ClientInfo.class, Message.class),
    MESSAGE_DELIVERED("onMessageDelivered", ClientInfo.class, Message.class),
    MESSAGE_ACKED("onMessageAcked", ClientInfo.class, Message.class),
    MESSAGE_DROPPED("onMessageDropped", ClientInfo.class, Message.class, DropReason.class),
    PACKET_RECEIVED("onPacketReceived", ClientInfo.class, PacketInfo.class),
    PACKET_SENT("onPacketSent", ClientInfo.class, PacketInfo.class);

    private final String method;
    private final Class<?>[] parameters;

    EventType(String method, Class<?>... parameters) {
        this.method = method;
        this.parameters = parameters;
    }

    /** The method's name, used as the event's name in metrics and logs. */
    String method() {
        return method;
    }

    /** True when the plugin class's method for this event is {@link io.mast.plugin.NonBlocking}. */
    boolean nonBlockingIn(Class<? extends BrokerPlugin> type) {
        try {
            return type.getMethod(method, parameters).isAnnotationPresent(io.mast.plugin.NonBlocking.class);
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** True when the plugin class overrides this event's method. */
    boolean overriddenBy(Class<? extends BrokerPlugin> type) {
        try {
            return type.getMethod(method, parameters).getDeclaringClass() != BrokerPlugin.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("BrokerPlugin has no method " + method, e);
        }
    }
}
