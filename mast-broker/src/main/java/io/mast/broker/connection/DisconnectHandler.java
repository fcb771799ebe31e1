package io.mast.broker.connection;

import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Disconnect;
import io.mast.plugin.support.Durations;

/**
 * DISCONNECT from the client: a normal disconnection discards the will, 0x04 asks for it to be sent; an MQTT 5.0
 * client may change its session expiry, but not from 0 to more (MQTT-3.14.2-2).
 */
final class DisconnectHandler {

    private final ConnectionServices core;

    DisconnectHandler(ConnectionServices core) {
        this.core = core;
    }

    void handle(Connection c, Disconnect d) {
        Long expiry = d.properties().sessionExpiryInterval();
        if (expiry != null && c.version().isV5()) {
            if (c.sessionExpiry() == 0 && expiry > 0) {
                c.disconnect(ReasonCode.PROTOCOL_ERROR, "the session expiry was 0 at CONNECT and cannot be set now");
                return;
            }
            long max = Durations.toMqttSeconds(core.config().session().maxExpiryInterval());
            c.session().expiryInterval(Math.min(expiry, max));
        }
        c.clientDisconnected(d.reasonCode());
    }
}
