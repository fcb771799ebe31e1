package io.mast.broker.connection;

import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Auth;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.PingReq;
import io.mast.codec.packet.PingResp;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.PubComp;
import io.mast.codec.packet.PubRec;
import io.mast.codec.packet.PubRel;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Unsubscribe;
import java.util.concurrent.CompletionStage;

/**
 * Hands each packet from a client to the handler for its type. Runs on the connection's event loop, in the session's
 * mailbox once there is a session. A handler returns {@code null} when it is done, or a stage that completes when it
 * is (after an asynchronous decision); the connection holds the next packets until then.
 */
public final class PacketDispatcher {

    private final ConnectHandler connect;
    private final PublishHandler publish;
    private final SubscribeHandler subscribe;
    private final UnsubscribeHandler unsubscribe;
    private final DisconnectHandler disconnect;
    private final AuthHandler auth;

    public PacketDispatcher(ConnectionServices core) {
        this.connect = new ConnectHandler(core);
        this.publish = new PublishHandler(core);
        this.subscribe = new SubscribeHandler(core);
        this.unsubscribe = new UnsubscribeHandler();
        this.disconnect = new DisconnectHandler(core);
        this.auth = new AuthHandler(core);
    }

    CompletionStage<?> dispatch(Connection c, MqttPacket packet) {
        if (c.isClosing()) {
            return null;
        }
        if (packet instanceof Connect p) {
            return connect.handle(c, p);
        }
        if (c.session() == null) {
            // Only possible when the session was taken over while this packet waited: drop it.
            return null;
        }
        switch (packet) {
            case Publish p -> {
                return publish.handle(c, p);
            }
            case PubAck p -> c.session().onPubAck(p.packetId());
            case PubRec p -> c.session().onPubRec(p.packetId(), p.reasonCode(), c);
            case PubRel p -> publish.release(c, p);
            case PubComp p -> c.session().onPubComp(p.packetId());
            case Subscribe p -> {
                return subscribe.handle(c, p);
            }
            case Unsubscribe p -> unsubscribe.handle(c, p);
            case PingReq p -> c.send(PingResp.INSTANCE);
            case Disconnect p -> disconnect.handle(c, p);
            case Auth p -> auth.handle(c, p);
            default -> c.disconnect(ReasonCode.PROTOCOL_ERROR, packet.type() + " is not sent by clients");
        }
        return null;
    }
}
