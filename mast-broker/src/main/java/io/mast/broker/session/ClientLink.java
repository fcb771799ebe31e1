package io.mast.broker.session;

import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.message.BrokerMessage;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.MqttPacket;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;

/**
 * A session's view of its client's connection: what it needs to deliver messages, to follow the connection's
 * writability, to take the will, and to close it. The connection layer implements it; the session never sees more.
 * Called on the connection's event loop (the session's mailbox runs there), except where said.
 */
public interface ClientLink {

    /** Who the client is, as its CONNECT said. */
    ConnectionInfo info();

    /** The connection's event loop: the session's mailbox lives there while it is attached. */
    EventExecutor eventLoop();

    /** True while the connection can take more bytes. Any thread. */
    boolean isWritable();

    /** Runs the action once the connection can take bytes again, or has closed. Any thread. */
    void whenWritable(Runnable action);

    /** The client's Receive Maximum (65535 when it announced none). */
    int peerReceiveMaximum();

    /** Sends a packet (PUBREL). */
    void send(MqttPacket packet);

    /**
     * Sends an application message; false when it is larger than the client's Maximum Packet Size (it was not sent).
     */
    boolean sendPublish(BrokerMessage message, Qos qos, boolean retainFlag, int packetId, boolean dup,
                        List<Integer> subscriptionIds, long now);

    /** The will of the connection's CONNECT, if not taken yet; {@code null} otherwise. */
    BrokerMessage peekWill();

    /** Takes the will: it is published at most once. */
    BrokerMessage takeWill();

    /** The delay of the will, in seconds. */
    long willDelaySeconds();

    /** Closes the connection on the broker's initiative, with the reason (MQTT 5.0 DISCONNECT). */
    void disconnect(ReasonCode reason, String reasonString);

    /** Another connection took the session over: tell this client (0x8E) and close. Any thread. */
    void closeTakenOver();
}
