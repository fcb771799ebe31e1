package io.mast.cli;

import io.mast.client.PacketListener;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Auth;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.PublishAcknowledgement;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.codec.packet.UnsubAck;
import io.mast.codec.packet.Unsubscribe;
import java.io.PrintStream;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code -d}: one line per packet sent or received, in the words of Mosquitto's clients, e.g.
 * {@code Client mast-sub received PUBLISH (d0, q1, r0, m3, 'sensors/room1', ... (4 bytes))}.
 */
final class DebugPrinter implements PacketListener {

    private final PrintStream out;
    private volatile Supplier<String> clientId;

    DebugPrinter(PrintStream out, Supplier<String> clientId) {
        this.out = out;
        this.clientId = clientId;
    }

    /** Where the client identifier comes from once the client exists (it may be assigned by the broker). */
    void clientId(Supplier<String> clientId) {
        this.clientId = clientId;
    }

    @Override
    public void sent(MqttPacket packet) {
        print("sending", packet);
    }

    @Override
    public void received(MqttPacket packet) {
        print("received", packet);
    }

    private void print(String verb, MqttPacket packet) {
        String id = clientId.get();
        out.println("Client " + (id == null || id.isEmpty() ? "(null)" : id) + " " + verb + " " + describe(packet));
        out.flush();
    }

    static String describe(MqttPacket packet) {
        return switch (packet) {
            case Publish p -> String.format("PUBLISH (d%d, q%d, r%d, m%d, '%s', ... (%d bytes))", p.dup() ? 1 : 0,
                    p.qos().level(), p.retain() ? 1 : 0, p.packetId(), p.topic(), p.payload().length);
            case ConnAck a -> "CONNACK (" + a.reasonCode().value() + ")";
            case PublishAcknowledgement a -> a.type() + " (m" + a.packetId() + ", rc" + a.reasonCode().value() + ")";
            case Subscribe s -> "SUBSCRIBE (Mid: " + s.packetId() + ", " + s.subscriptions().stream()
                    .map(DebugPrinter::describe).collect(Collectors.joining(", ")) + ")";
            case SubAck s -> "SUBACK";
            case Unsubscribe u -> "UNSUBSCRIBE (Mid: " + u.packetId() + ", Topic: " + String.join(", ", u.topicFilters()) + ")";
            case UnsubAck u -> "UNSUBACK";
            case Disconnect d -> d.reasonCode() == ReasonCode.NORMAL_DISCONNECTION ? "DISCONNECT"
                    : "DISCONNECT (" + d.reasonCode().value() + ")";
            case Auth a -> "AUTH (" + a.reasonCode().value() + ")";
            default -> packet.type().name();
        };
    }

    private static String describe(Subscription s) {
        int options = (s.noLocal() ? 0x04 : 0) | (s.retainAsPublished() ? 0x08 : 0) | s.retainHandling().value() << 4;
        return String.format("Topic: %s, QoS: %d, Options: 0x%02x", s.topicFilter(), s.qos().level(), options);
    }
}
