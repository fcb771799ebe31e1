package io.mast.codec.decoder;

import static io.mast.codec.decoder.MalformedPacketException.malformed;
import static io.mast.codec.decoder.MalformedPacketException.protocolError;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.PacketType;
import io.mast.codec.Qos;
import io.mast.codec.packet.RetainHandling;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes SUBSCRIBE (3.1.1 section 3.8, 5.0 section 3.8). The wildcard syntax of each filter is left to the
 * receiver, which answers an invalid filter in the SUBACK (0x8F on 5.0, 0x80 on 3.1.1) so that the valid
 * filters of the same packet are not lost.
 */
public final class SubscribeDecoder {

    private SubscribeDecoder() {
    }

    public static Subscribe decode(MqttReader in, MqttVersion version) throws MalformedPacketException {
        int packetId = in.readUnsignedShort("packet identifier");
        if (packetId == 0) {
            throw protocolError("SUBSCRIBE with packet identifier 0");
        }
        MqttProperties properties = version.isV5() ? in.readProperties(PacketType.SUBSCRIBE) : MqttProperties.EMPTY;
        List<Subscription> subscriptions = new ArrayList<>(2);
        while (in.remaining() > 0) {
            String filter = in.readUtf8("topic filter");
            int options = in.readUnsignedByte("subscription options");
            Qos qos = Qos.ofLevel(options & 0x03);
            if (qos == null) {
                // MQTT 5.0 section 3.8.3.1: a Maximum QoS of 3 is a Protocol Error; 3.1.1 [MQTT-3.8.3-4]: malformed.
                String message = "subscription QoS 3 for '" + filter + "'";
                throw version.isV5() ? protocolError(message) : malformed(message);
            }
            if (!version.isV5()) {
                if ((options & 0xFC) != 0) {
                    throw malformed("reserved subscription option bits set for '" + filter + "'");
                }
                subscriptions.add(new Subscription(filter, qos));
                continue;
            }
            if ((options & 0xC0) != 0) {
                throw malformed("reserved subscription option bits set for '" + filter + "'");
            }
            boolean noLocal = (options & 0x04) != 0;
            boolean retainAsPublished = (options & 0x08) != 0;
            RetainHandling retainHandling = RetainHandling.of((options >> 4) & 0x03);
            if (retainHandling == null) {
                throw protocolError("retain handling 3 for '" + filter + "'");
            }
            if (noLocal && WireTopics.isShared(filter)) {
                throw protocolError("no local set on shared subscription '" + filter + "'");
            }
            subscriptions.add(new Subscription(filter, qos, noLocal, retainAsPublished, retainHandling));
        }
        if (subscriptions.isEmpty()) {
            throw protocolError("SUBSCRIBE without topic filters");
        }
        return new Subscribe(packetId, subscriptions, properties);
    }
}
