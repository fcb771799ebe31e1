package io.mast.plugin;

/**
 * A plugin of the broker. Override the events you need; the runtime finds out at load time which ones a plugin
 * overrides and does no work for the others.
 *
 * <p>Events are delivered off the network threads, in order per client, through a bounded queue per plugin: a slow
 * plugin delays only itself, and when its queue is full further events are dropped and counted
 * ({@code plugin.<name>.events.dropped}). An exception is logged at WARN with the plugin's name, counted, and never
 * affects the client. The lifecycle events ({@code onBroker...}) are called directly, in order, and so is an event
 * whose method is annotated {@link NonBlocking} (on the thread that raises it).
 *
 * <p>A plugin class may also implement {@link AuthPlugin}, {@link TopicPlugin} and {@link PublishPlugin} (or their
 * async forms) to take part in decisions.
 */
public abstract class BrokerPlugin extends Plugin<BrokerContext> {

    protected BrokerPlugin(BrokerContext context) {
        super(context);
    }

    /** Before the listeners open. */
    public void onBrokerPreStart() throws Exception {
    }

    /** After the listeners opened. */
    public void onBrokerPostStart() throws Exception {
    }

    /** Before the broker starts disconnecting clients. */
    public void onBrokerPreShutdown() throws Exception {
    }

    /** After every client was disconnected, before {@link #close()}. */
    public void onBrokerPostShutdown() throws Exception {
    }

    /** A CONNECT arrived, before authentication. */
    public void onClientConnect(ConnectInfo connect) throws Exception {
    }

    /** The CONNACK sent to a client: reason code 0 when it was accepted. */
    public void onClientConnack(ConnectInfo connect, int reasonCode) throws Exception {
    }

    /** A client is connected and its session attached. */
    public void onClientConnected(ClientInfo client) throws Exception {
    }

    /** A connected client's connection ended. */
    public void onClientDisconnected(ClientInfo client, DisconnectInfo disconnect) throws Exception {
    }

    /** A new session was created for a client. */
    public void onSessionCreated(SessionInfo session) throws Exception {
    }

    /** A client resumed its existing session. */
    public void onSessionResumed(SessionInfo session) throws Exception {
    }

    /** A client's existing session was discarded because it connected with Clean Start. */
    public void onSessionDiscarded(SessionInfo session) throws Exception {
    }

    /** A client's session was taken over by a new connection with the same client identifier. */
    public void onSessionTakenOver(SessionInfo session) throws Exception {
    }

    /**
     * A session ended. {@code reason} is {@code expired} (its expiry interval elapsed), {@code disconnected} (it had
     * expiry 0 and its client left), {@code discarded} (its client connected again with Clean Start) or
     * {@code takenover} (it had expiry 0 and a new connection with the same client identifier took over its
     * connection; the new connection gets a new session).
     */
    public void onSessionTerminated(SessionInfo session, String reason) throws Exception {
    }

    /** A subscription was granted (after authorization). */
    public void onClientSubscribed(ClientInfo client, Subscription subscription) throws Exception {
    }

    /** A subscription was removed by the client. */
    public void onClientUnsubscribed(ClientInfo client, String topicFilter) throws Exception {
    }

    /** A retained message was set; {@code client} is {@code null} when the broker or a plugin set it. */
    public void onRetainedMessageSet(ClientInfo client, Message message) throws Exception {
    }

    /** A retained message was cleared (by a publish with an empty payload). */
    public void onRetainedMessageCleared(ClientInfo client, String topic) throws Exception {
    }

    /** A message arrived from a client, before authorization and publish plugins. */
    public void onMessageReceived(ClientInfo publisher, Message message) throws Exception {
    }

    /**
     * A message was accepted, after authorization and publish plugins, as it is routed; {@code publisher} is
     * {@code null} for messages of the broker itself.
     */
    public void onMessagePublished(ClientInfo publisher, Message message) throws Exception {
    }

    /** A message was sent to a subscriber. */
    public void onMessageDelivered(ClientInfo subscriber, Message message) throws Exception {
    }

    /** A subscriber acknowledged a QoS 1 (PUBACK) or QoS 2 (PUBCOMP) message. */
    public void onMessageAcked(ClientInfo subscriber, Message message) throws Exception {
    }

    /** A message was not delivered; {@code subscriber} is {@code null} when it concerns no particular subscriber. */
    public void onMessageDropped(ClientInfo subscriber, Message message, DropReason reason) throws Exception {
    }

    /**
     * An MQTT packet arrived from a client ({@code client} is {@code null} before CONNECT is read). Overriding this
     * costs a description of every packet: use it for debugging.
     */
    public void onPacketReceived(ClientInfo client, PacketInfo packet) throws Exception {
    }

    /** An MQTT packet was sent to a client. Like {@link #onPacketReceived}, for debugging. */
    public void onPacketSent(ClientInfo client, PacketInfo packet) throws Exception {
    }
}
