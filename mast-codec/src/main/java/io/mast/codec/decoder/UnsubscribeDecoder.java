package io.mast.codec.decoder;

import static io.mast.codec.decoder.MalformedPacketException.protocolError;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.PacketType;
import io.mast.codec.packet.Unsubscribe;
import java.util.ArrayList;
import java.util.List;

/** Decodes UNSUBSCRIBE (3.1.1 section 3.10, 5.0 section 3.10). */
public final class UnsubscribeDecoder {

    private UnsubscribeDecoder() {
    }

    public static Unsubscribe decode(MqttReader in, MqttVersion version) throws MalformedPacketException {
        int packetId = in.readUnsignedShort("packet identifier");
        if (packetId == 0) {
            throw protocolError("UNSUBSCRIBE with packet identifier 0");
        }
        MqttProperties properties = version.isV5() ? in.readProperties(PacketType.UNSUBSCRIBE) : MqttProperties.EMPTY;
        List<String> filters = new ArrayList<>(2);
        while (in.remaining() > 0) {
            filters.add(in.readUtf8("topic filter"));
        }
        if (filters.isEmpty()) {
            throw protocolError("UNSUBSCRIBE without topic filters");
        }
        return new Unsubscribe(packetId, filters, properties);
    }
}
