package io.mast.plugins;

import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Default;
import io.mast.plugin.DisconnectInfo;
import io.mast.plugin.DropReason;
import io.mast.plugin.Message;
import io.mast.plugin.SessionInfo;
import io.mast.plugin.Subscription;

/**
 * Logs every client, session, subscription, retained-message and message event, one line each, with the logger
 * {@code io.mast.plugins.EventLoggerPlugin}: for watching what a broker does, or debugging a client. Passwords and
 * payloads are never logged (only payload sizes). Logging every message costs: keep it off on busy brokers, or
 * choose {@code level: debug} and turn the logger on when needed.
 *
 * <pre>{@code
 * plugins:
 *   io.mast.plugins.EventLoggerPlugin: {level: info}
 * }</pre>
 */
public final class EventLoggerPlugin extends BrokerPlugin {

    /**
     * The options.
     *
     * @param level {@code level}: {@code info} (default) or {@code debug}
     */
    public record Config(@Default("info") LogLevel level) {
    }

    private final LogLevel level;

    /**
     * Reads the level; called by the broker at startup.
     */
    public EventLoggerPlugin(BrokerContext context) {
        super(context);
        this.level = config(Config.class).level();
    }

    private void log(String format, Object... args) {
        level.log(log(), format, args);
    }

    private static String who(ClientInfo c) {
        return c == null ? "(broker)" : c.clientId() + (c.username() == null ? "" : " (user " + c.username() + ")");
    }

    private static String describe(Message m) {
        return m.topic() + " q" + m.qos() + (m.retain() ? " retained" : "") + " " + m.payloadSize() + " bytes";
    }

    @Override
    public void onClientConnect(ConnectInfo c) {
        log("CONNECT from {} at {}: MQTT {}, clean start {}, keep-alive {}s, session expiry {}s{}", who(c),
                c.remoteAddress(), c.protocolVersion() == 5 ? "5.0" : c.protocolVersion() == 4 ? "3.1.1" : "3.1",
                c.cleanStart(), c.keepAlive(), c.sessionExpiryInterval(),
                c.will() == null ? "" : ", will on " + c.will().topic());
    }

    @Override
    public void onClientConnack(ConnectInfo c, int reasonCode) {
        log("CONNACK to {}: 0x{}", who(c), String.format("%02X", reasonCode));
    }

    @Override
    public void onClientConnected(ClientInfo c) {
        log("Client {} connected from {} on listener {}", who(c), c.remoteAddress(), c.listener());
    }

    @Override
    public void onClientDisconnected(ClientInfo c, DisconnectInfo d) {
        log("Client {} disconnected: {} (0x{}{}{})", who(c), d.reason(), String.format("%02X", d.reasonCode()),
                d.byClient() ? ", by the client" : "", d.willSent() ? ", will published" : "");
    }

    @Override
    public void onSessionCreated(SessionInfo s) {
        log("Session {} created (expiry {}s)", s.clientId(), s.expiryIntervalSeconds());
    }

    @Override
    public void onSessionResumed(SessionInfo s) {
        log("Session {} resumed: {} subscriptions, {} queued messages", s.clientId(), s.subscriptions().size(),
                s.queuedMessages());
    }

    @Override
    public void onSessionDiscarded(SessionInfo s) {
        log("Session {} discarded (clean start)", s.clientId());
    }

    @Override
    public void onSessionTakenOver(SessionInfo s) {
        log("Session {} taken over by a new connection", s.clientId());
    }

    @Override
    public void onSessionTerminated(SessionInfo s, String reason) {
        log("Session {} ended: {}", s.clientId(), reason);
    }

    @Override
    public void onClientSubscribed(ClientInfo c, Subscription s) {
        log("Client {} subscribed to {} q{}", who(c), s.topicFilter(), s.qos());
    }

    @Override
    public void onClientUnsubscribed(ClientInfo c, String topicFilter) {
        log("Client {} unsubscribed from {}", who(c), topicFilter);
    }

    @Override
    public void onRetainedMessageSet(ClientInfo c, Message m) {
        log("Retained message on {} set by {}: {} bytes", m.topic(), who(c), m.payloadSize());
    }

    @Override
    public void onRetainedMessageCleared(ClientInfo c, String topic) {
        log("Retained message on {} cleared by {}", topic, who(c));
    }

    @Override
    public void onMessageReceived(ClientInfo publisher, Message m) {
        log("Message received from {}: {}", who(publisher), describe(m));
    }

    @Override
    public void onMessagePublished(ClientInfo publisher, Message m) {
        log("Message published by {}: {}", who(publisher), describe(m));
    }

    @Override
    public void onMessageDelivered(ClientInfo subscriber, Message m) {
        log("Message delivered to {}: {}", who(subscriber), describe(m));
    }

    @Override
    public void onMessageAcked(ClientInfo subscriber, Message m) {
        log("Message acknowledged by {}: {}", who(subscriber), describe(m));
    }

    @Override
    public void onMessageDropped(ClientInfo subscriber, Message m, DropReason reason) {
        log("Message dropped{}: {}: {}", subscriber == null ? "" : " for " + who(subscriber), describe(m),
                reason.name().toLowerCase(java.util.Locale.ROOT));
    }
}
