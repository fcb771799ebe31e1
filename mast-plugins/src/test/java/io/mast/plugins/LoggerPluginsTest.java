package io.mast.plugins;

import static io.mast.plugins.TestContext.client;
import static io.mast.plugins.TestContext.connect;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.plugin.DisconnectInfo;
import io.mast.plugin.DropReason;
import io.mast.plugin.Message;
import io.mast.plugin.PacketInfo;
import io.mast.plugin.SessionInfo;
import io.mast.plugin.Subscription;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the event and packet loggers write, at the level chosen. */
class LoggerPluginsTest {

    @Test
    void eventLoggerWritesOneLinePerEventWithoutPasswordsOrPayloads() throws Exception {
        try (LogCapture log = new LogCapture(EventLoggerPlugin.class);
             TestContext ctx = TestContext.of(EventLoggerPlugin.class, Map.of())) {
            EventLoggerPlugin p = new EventLoggerPlugin(ctx);
            Message m = Message.builder("a/b").payload("top secret payload").qos(1).retain(true).build();
            SessionInfo s = new SessionInfo("c1", true, client("u", "c1"), 60, List.of(), 0, 0);
            p.onClientConnect(connect("u", "hunter2", "c1"));
            p.onClientConnack(connect("u", "hunter2", "c1"), 0x86);
            p.onClientConnected(client("u", "c1"));
            p.onSessionCreated(s);
            p.onSessionResumed(s);
            p.onSessionDiscarded(s);
            p.onSessionTakenOver(s);
            p.onSessionTerminated(s, "expired");
            p.onClientSubscribed(client("u", "c1"), Subscription.of("a/#", 1));
            p.onClientUnsubscribed(client("u", "c1"), "a/#");
            p.onRetainedMessageSet(null, m);
            p.onRetainedMessageCleared(client(null, "c2"), "a/b");
            p.onMessageReceived(client("u", "c1"), m);
            p.onMessagePublished(client("u", "c1"), m);
            p.onMessageDelivered(client(null, "c2"), m);
            p.onMessageAcked(client(null, "c2"), m);
            p.onMessageDropped(null, m, DropReason.NO_SUBSCRIBERS);
            p.onClientDisconnected(client("u", "c1"), new DisconnectInfo(0, "normal", true, false));
            List<String> lines = log.lines();
            assertThat(lines).hasSize(18).allMatch(l -> l.startsWith("INFO "))
                    .noneMatch(l -> l.contains("hunter2") || l.contains("top secret"));
            assertThat(lines).contains(
                    "INFO CONNACK to c1 (user u): 0x86",
                    "INFO Client c1 (user u) subscribed to a/# q1",
                    "INFO Retained message on a/b set by (broker): 18 bytes",
                    "INFO Message delivered to c2: a/b q1 retained 18 bytes",
                    "INFO Message dropped: a/b q1 retained 18 bytes: no_subscribers",
                    "INFO Session c1 ended: expired",
                    "INFO Client c1 (user u) disconnected: normal (0x00, by the client)");
            assertThat(lines.get(0)).startsWith("INFO CONNECT from c1 (user u) at /127.0.0.1:50000: MQTT 5.0");
        }
    }

    @Test
    void packetLoggerAtDebug() {
        try (LogCapture log = new LogCapture(PacketLoggerPlugin.class);
             TestContext ctx = TestContext.of(PacketLoggerPlugin.class, Map.of("level", "debug"))) {
            PacketLoggerPlugin p = new PacketLoggerPlugin(ctx);
            p.onPacketReceived(null, new PacketInfo("CONNECT", 0, "Connect[clientId=c1]"));
            p.onPacketSent(client(null, "c1"), new PacketInfo("CONNACK", 0, "ConnAck[reasonCode=SUCCESS]"));
            assertThat(log.lines()).containsExactly("DEBUG (new connection) <- Connect[clientId=c1]",
                    "DEBUG c1 -> ConnAck[reasonCode=SUCCESS]");
        }
    }
}
