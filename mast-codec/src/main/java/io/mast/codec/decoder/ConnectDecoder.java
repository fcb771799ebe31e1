package io.mast.codec.decoder;

import static io.mast.codec.decoder.MalformedPacketException.malformed;
import static io.mast.codec.decoder.MalformedPacketException.protocolError;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.PacketType;
import io.mast.codec.PropertyId;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.Utf8;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Will;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Decodes CONNECT (3.1.1 section 3.1, 5.0 section 3.1). */
public final class ConnectDecoder {

    private ConnectDecoder() {
    }

    /**
     * The protocol version a CONNECT body asks for, read without consuming it, or {@code null} when the name
     * and level are not a version Mast speaks. Lets a failure later in the packet be answered in the right version.
     */
    public static MqttVersion peekVersion(ByteBuf body) {
        int i = body.readerIndex();
        if (body.readableBytes() < 2) {
            return null;
        }
        int len = body.getUnsignedShort(i);
        if (body.readableBytes() < 2 + len + 1 || len > 6) {
            return null;
        }
        String name = body.toString(i + 2, len, StandardCharsets.US_ASCII);
        return MqttVersion.of(name, body.getUnsignedByte(i + 2 + len));
    }

    public static Connect decode(MqttReader in) throws MalformedPacketException {
        String protocolName = in.readUtf8("protocol name");
        int level = in.readUnsignedByte("protocol level");
        MqttVersion version = MqttVersion.of(protocolName, level);
        if (version == null) {
            if (protocolName.equals("MQTT") || protocolName.equals("MQIsdp")) {
                throw new MalformedPacketException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
                        "protocol " + protocolName + " level " + level + " is not supported");
            }
            throw protocolError("unknown protocol name '" + protocolName + "'");
        }

        int flags = in.readUnsignedByte("connect flags");
        if ((flags & 0x01) != 0) {
            throw malformed("reserved connect flag is set");
        }
        boolean cleanStart = (flags & 0x02) != 0;
        boolean willFlag = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 0x03;
        boolean willRetain = (flags & 0x20) != 0;
        boolean passwordFlag = (flags & 0x40) != 0;
        boolean usernameFlag = (flags & 0x80) != 0;
        if (willQos == 3) {
            throw malformed("will QoS is 3");
        }
        if (!willFlag && (willQos != 0 || willRetain)) {
            throw malformed("will QoS or will retain set without the will flag");
        }
        if (!version.isV5() && passwordFlag && !usernameFlag) {
            throw malformed("password flag set without the user name flag");
        }
        int keepAlive = in.readUnsignedShort("keep alive");

        MqttProperties properties = MqttProperties.EMPTY;
        if (version.isV5()) {
            properties = in.readProperties(PacketType.CONNECT);
            if (properties.authenticationData() != null && properties.authenticationMethod() == null) {
                throw protocolError("authentication data without an authentication method");
            }
        }

        String clientId = in.readUtf8("client identifier");

        Will will = null;
        if (willFlag) {
            MqttProperties willProperties = version.isV5()
                    ? in.readProperties(PropertyId.WILL, "will")
                    : MqttProperties.EMPTY;
            String responseTopic = willProperties.responseTopic();
            if (responseTopic != null && !WireTopics.isTopicName(responseTopic)) {
                throw protocolError("will response topic '" + responseTopic + "' is not a valid topic name");
            }
            String willTopic = in.readUtf8("will topic");
            if (!WireTopics.isTopicName(willTopic)) {
                // As for a PUBLISH topic: 3.1.1 has no Topic Name invalid, the packet does not conform.
                ReasonCode reason = version.isV5() ? ReasonCode.TOPIC_NAME_INVALID : ReasonCode.MALFORMED_PACKET;
                throw new MalformedPacketException(reason, "will topic '" + willTopic + "' is empty or has wildcards");
            }
            byte[] willPayload = in.readBinary("will payload");
            Integer format = willProperties.payloadFormatIndicator();
            if (format != null && format == 1 && !Utf8.isValid(willPayload)) {
                throw new MalformedPacketException(ReasonCode.PAYLOAD_FORMAT_INVALID,
                        "will payload is marked UTF-8 but is not");
            }
            will = new Will(willTopic, willPayload, Qos.ofLevel(willQos), willRetain, willProperties);
        }
        String username = usernameFlag ? in.readUtf8("user name") : null;
        byte[] password = passwordFlag ? in.readBinary("password") : null;
        if (in.remaining() != 0) {
            throw malformed(in.remaining() + " bytes after the end of CONNECT");
        }
        return new Connect(version, cleanStart, keepAlive, clientId, will, username, password, properties);
    }
}
