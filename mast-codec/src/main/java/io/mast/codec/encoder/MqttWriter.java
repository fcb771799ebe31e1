package io.mast.codec.encoder;

import io.mast.codec.MqttProperties;
import io.mast.codec.PropertyId;
import io.mast.codec.Qos;
import io.mast.codec.UserProperty;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Sizes and writes MQTT data types; the encoders size a packet first so its buffer is allocated exactly once. */
public final class MqttWriter {

    private MqttWriter() {
    }

    /** Bytes a Variable Byte Integer takes. */
    public static int varIntSize(int value) {
        if (value < 128) {
            return 1;
        }
        if (value < 16_384) {
            return 2;
        }
        if (value < 2_097_152) {
            return 3;
        }
        return 4;
    }

    public static void writeVarInt(ByteBuf buf, int value) {
        do {
            int b = value & 0x7F;
            value >>>= 7;
            buf.writeByte(value > 0 ? b | 0x80 : b);
        } while (value > 0);
    }

    /** Bytes a UTF-8 Encoded String takes, length prefix included. */
    public static int utf8Size(String s) {
        return 2 + ByteBufUtil.utf8Bytes(s);
    }

    public static void writeUtf8(ByteBuf buf, String s) {
        int lengthIndex = buf.writerIndex();
        buf.writeShort(0);
        int written = ByteBufUtil.writeUtf8(buf, s);
        buf.setShort(lengthIndex, written);
    }

    /** Bytes Binary Data takes, length prefix included. */
    public static int binarySize(byte[] b) {
        return 2 + b.length;
    }

    public static void writeBinary(ByteBuf buf, byte[] b) {
        buf.writeShort(b.length);
        buf.writeBytes(b);
    }

    /** Bytes of the properties' contents, without the length prefix. */
    public static int propertiesSize(MqttProperties p) {
        if (p == MqttProperties.EMPTY) {
            return 0;
        }
        int size = 0;
        if (p.payloadFormatIndicator() != null) {
            size += 2;
        }
        if (p.messageExpiryInterval() != null) {
            size += 5;
        }
        if (p.contentType() != null) {
            size += 1 + utf8Size(p.contentType());
        }
        if (p.responseTopic() != null) {
            size += 1 + utf8Size(p.responseTopic());
        }
        if (p.correlationData() != null) {
            size += 1 + binarySize(p.correlationData());
        }
        for (int id : p.subscriptionIdentifiers()) {
            size += 1 + varIntSize(id);
        }
        if (p.sessionExpiryInterval() != null) {
            size += 5;
        }
        if (p.assignedClientIdentifier() != null) {
            size += 1 + utf8Size(p.assignedClientIdentifier());
        }
        if (p.serverKeepAlive() != null) {
            size += 3;
        }
        if (p.authenticationMethod() != null) {
            size += 1 + utf8Size(p.authenticationMethod());
        }
        if (p.authenticationData() != null) {
            size += 1 + binarySize(p.authenticationData());
        }
        if (p.requestProblemInformation() != null) {
            size += 2;
        }
        if (p.willDelayInterval() != null) {
            size += 5;
        }
        if (p.requestResponseInformation() != null) {
            size += 2;
        }
        if (p.responseInformation() != null) {
            size += 1 + utf8Size(p.responseInformation());
        }
        if (p.serverReference() != null) {
            size += 1 + utf8Size(p.serverReference());
        }
        if (p.reasonString() != null) {
            size += 1 + utf8Size(p.reasonString());
        }
        if (p.receiveMaximum() != null) {
            size += 3;
        }
        if (p.topicAliasMaximum() != null) {
            size += 3;
        }
        if (p.topicAlias() != null) {
            size += 3;
        }
        if (hasMaximumQos(p)) {
            size += 2;
        }
        if (p.retainAvailable() != null) {
            size += 2;
        }
        for (UserProperty u : p.userProperties()) {
            size += 1 + utf8Size(u.name()) + utf8Size(u.value());
        }
        if (p.maximumPacketSize() != null) {
            size += 5;
        }
        if (p.wildcardSubscriptionAvailable() != null) {
            size += 2;
        }
        if (p.subscriptionIdentifierAvailable() != null) {
            size += 2;
        }
        if (p.sharedSubscriptionAvailable() != null) {
            size += 2;
        }
        return size;
    }

    /**
     * Maximum QoS goes on the wire as 0 or 1 only: a 2 is a Protocol Error for the receiver, and an absent
     * property already means QoS 2 (MQTT 5.0 section 3.2.2.3.4).
     */
    private static boolean hasMaximumQos(MqttProperties p) {
        return p.maximumQos() != null && p.maximumQos() != Qos.EXACTLY_ONCE;
    }

    /** Writes the property length and the properties. */
    public static void writeProperties(ByteBuf buf, MqttProperties p, int size) {
        writeVarInt(buf, size);
        if (size == 0) {
            return;
        }
        if (p.payloadFormatIndicator() != null) {
            buf.writeByte(PropertyId.PAYLOAD_FORMAT_INDICATOR.id()).writeByte(p.payloadFormatIndicator());
        }
        if (p.messageExpiryInterval() != null) {
            buf.writeByte(PropertyId.MESSAGE_EXPIRY_INTERVAL.id()).writeInt((int) (long) p.messageExpiryInterval());
        }
        if (p.contentType() != null) {
            buf.writeByte(PropertyId.CONTENT_TYPE.id());
            writeUtf8(buf, p.contentType());
        }
        if (p.responseTopic() != null) {
            buf.writeByte(PropertyId.RESPONSE_TOPIC.id());
            writeUtf8(buf, p.responseTopic());
        }
        if (p.correlationData() != null) {
            buf.writeByte(PropertyId.CORRELATION_DATA.id());
            writeBinary(buf, p.correlationData());
        }
        for (int id : p.subscriptionIdentifiers()) {
            buf.writeByte(PropertyId.SUBSCRIPTION_IDENTIFIER.id());
            writeVarInt(buf, id);
        }
        if (p.sessionExpiryInterval() != null) {
            buf.writeByte(PropertyId.SESSION_EXPIRY_INTERVAL.id()).writeInt((int) (long) p.sessionExpiryInterval());
        }
        if (p.assignedClientIdentifier() != null) {
            buf.writeByte(PropertyId.ASSIGNED_CLIENT_IDENTIFIER.id());
            writeUtf8(buf, p.assignedClientIdentifier());
        }
        if (p.serverKeepAlive() != null) {
            buf.writeByte(PropertyId.SERVER_KEEP_ALIVE.id()).writeShort(p.serverKeepAlive());
        }
        if (p.authenticationMethod() != null) {
            buf.writeByte(PropertyId.AUTHENTICATION_METHOD.id());
            writeUtf8(buf, p.authenticationMethod());
        }
        if (p.authenticationData() != null) {
            buf.writeByte(PropertyId.AUTHENTICATION_DATA.id());
            writeBinary(buf, p.authenticationData());
        }
        if (p.requestProblemInformation() != null) {
            buf.writeByte(PropertyId.REQUEST_PROBLEM_INFORMATION.id()).writeByte(p.requestProblemInformation() ? 1 : 0);
        }
        if (p.willDelayInterval() != null) {
            buf.writeByte(PropertyId.WILL_DELAY_INTERVAL.id()).writeInt((int) (long) p.willDelayInterval());
        }
        if (p.requestResponseInformation() != null) {
            buf.writeByte(PropertyId.REQUEST_RESPONSE_INFORMATION.id()).writeByte(p.requestResponseInformation() ? 1 : 0);
        }
        if (p.responseInformation() != null) {
            buf.writeByte(PropertyId.RESPONSE_INFORMATION.id());
            writeUtf8(buf, p.responseInformation());
        }
        if (p.serverReference() != null) {
            buf.writeByte(PropertyId.SERVER_REFERENCE.id());
            writeUtf8(buf, p.serverReference());
        }
        if (p.reasonString() != null) {
            buf.writeByte(PropertyId.REASON_STRING.id());
            writeUtf8(buf, p.reasonString());
        }
        if (p.receiveMaximum() != null) {
            buf.writeByte(PropertyId.RECEIVE_MAXIMUM.id()).writeShort(p.receiveMaximum());
        }
        if (p.topicAliasMaximum() != null) {
            buf.writeByte(PropertyId.TOPIC_ALIAS_MAXIMUM.id()).writeShort(p.topicAliasMaximum());
        }
        if (p.topicAlias() != null) {
            buf.writeByte(PropertyId.TOPIC_ALIAS.id()).writeShort(p.topicAlias());
        }
        if (hasMaximumQos(p)) {
            buf.writeByte(PropertyId.MAXIMUM_QOS.id()).writeByte(p.maximumQos().level());
        }
        if (p.retainAvailable() != null) {
            buf.writeByte(PropertyId.RETAIN_AVAILABLE.id()).writeByte(p.retainAvailable() ? 1 : 0);
        }
        for (UserProperty u : p.userProperties()) {
            buf.writeByte(PropertyId.USER_PROPERTY.id());
            writeUtf8(buf, u.name());
            writeUtf8(buf, u.value());
        }
        if (p.maximumPacketSize() != null) {
            buf.writeByte(PropertyId.MAXIMUM_PACKET_SIZE.id()).writeInt((int) (long) p.maximumPacketSize());
        }
        if (p.wildcardSubscriptionAvailable() != null) {
            buf.writeByte(PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE.id()).writeByte(p.wildcardSubscriptionAvailable() ? 1 : 0);
        }
        if (p.subscriptionIdentifierAvailable() != null) {
            buf.writeByte(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE.id()).writeByte(p.subscriptionIdentifierAvailable() ? 1 : 0);
        }
        if (p.sharedSubscriptionAvailable() != null) {
            buf.writeByte(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE.id()).writeByte(p.sharedSubscriptionAvailable() ? 1 : 0);
        }
    }
}
