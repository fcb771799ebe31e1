package io.mast.codec.decoder;

import static io.mast.codec.decoder.MalformedPacketException.malformed;
import static io.mast.codec.decoder.MalformedPacketException.protocolError;

import io.mast.codec.MqttProperties;
import io.mast.codec.PacketType;
import io.mast.codec.PropertyId;
import io.mast.codec.Qos;
import io.mast.codec.Utf8;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Reads MQTT data types from the variable header and payload of one packet, checking bounds and encodings.
 * Every violation becomes a {@link MalformedPacketException} with the reason code the specification names.
 */
public final class MqttReader {

    /** The largest Variable Byte Integer: 268,435,455. */
    public static final int MAX_VARIABLE_BYTE_INTEGER = 268_435_455;

    private final ByteBuf buf;

    /** Reads from the buffer's readable bytes, which must be exactly one packet's remaining length. */
    public MqttReader(ByteBuf buf) {
        this.buf = buf;
    }

    /** Bytes left in the packet. */
    public int remaining() {
        return buf.readableBytes();
    }

    private void need(int n, String what) throws MalformedPacketException {
        if (buf.readableBytes() < n) {
            throw malformed("packet ends inside " + what);
        }
    }

    public int readUnsignedByte(String what) throws MalformedPacketException {
        need(1, what);
        return buf.readUnsignedByte();
    }

    public int readUnsignedShort(String what) throws MalformedPacketException {
        need(2, what);
        return buf.readUnsignedShort();
    }

    public long readUnsignedInt(String what) throws MalformedPacketException {
        need(4, what);
        return buf.readUnsignedInt();
    }

    /** A Variable Byte Integer of at most four bytes, in the fewest bytes that hold its value [MQTT-1.5.5-1]. */
    public int readVariableByteInteger(String what) throws MalformedPacketException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b = readUnsignedByte(what);
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw malformed(what + " " + value + " is encoded in " + (i + 1) + " bytes, not the fewest");
                }
                return value;
            }
        }
        throw malformed(what + " is a variable byte integer longer than four bytes");
    }

    /** A UTF-8 Encoded String: two length bytes, then well-formed UTF-8 without U+0000. */
    public String readUtf8(String what) throws MalformedPacketException {
        int len = readUnsignedShort(what + " length");
        need(len, what);
        String s;
        if (buf.hasArray()) {
            s = Utf8.decode(buf.array(), buf.arrayOffset() + buf.readerIndex(), len);
        } else {
            byte[] bytes = ByteBufUtil.getBytes(buf, buf.readerIndex(), len);
            s = Utf8.decode(bytes, 0, len);
        }
        if (s == null) {
            throw malformed(what + " is not well-formed UTF-8 or contains U+0000");
        }
        buf.skipBytes(len);
        return s;
    }

    /** Binary Data: two length bytes, then the bytes. */
    public byte[] readBinary(String what) throws MalformedPacketException {
        int len = readUnsignedShort(what + " length");
        need(len, what);
        byte[] bytes = ByteBufUtil.getBytes(buf, buf.readerIndex(), len);
        buf.skipBytes(len);
        return bytes;
    }

    /** All bytes left in the packet (a PUBLISH payload). */
    public byte[] readRemaining() {
        byte[] bytes = ByteBufUtil.getBytes(buf);
        buf.skipBytes(bytes.length);
        return bytes;
    }

    /** Properties of a packet type. */
    public MqttProperties readProperties(PacketType type) throws MalformedPacketException {
        return readProperties(PropertyId.scopeOf(type), type.name());
    }

    /**
     * A property length followed by properties. Each must be allowed in the scope (a packet type's bit or
     * {@link PropertyId#WILL}); a repeated property other than User Property (and Subscription Identifier in
     * PUBLISH) is a protocol error, as is a value outside its range.
     */
    public MqttProperties readProperties(int scope, String where) throws MalformedPacketException {
        int length = readVariableByteInteger(where + " property length");
        need(length, where + " properties");
        if (length == 0) {
            return MqttProperties.EMPTY;
        }
        int end = buf.readerIndex() + length;
        // Bound every read by the property length: a property cut short by it is malformed, and its value must
        // not be read from the fields that follow (which could turn it into a protocol error instead).
        int packetEnd = buf.writerIndex();
        buf.writerIndex(end);
        try {
            return readPropertiesUpTo(end, scope, where);
        } finally {
            buf.writerIndex(packetEnd);
        }
    }

    private MqttProperties readPropertiesUpTo(int end, int scope, String where) throws MalformedPacketException {
        MqttProperties.Builder b = MqttProperties.builder();
        long seen = 0;
        boolean repeatableSubscriptionId = scope == PropertyId.scopeOf(PacketType.PUBLISH);
        while (buf.readerIndex() < end) {
            int id = readVariableByteInteger(where + " property identifier");
            PropertyId p = PropertyId.of(id);
            if (p == null || !p.allowedIn(scope)) {
                throw malformed(String.format("property 0x%02X is not allowed in %s", id, where));
            }
            boolean repeatable = p == PropertyId.USER_PROPERTY
                    || (p == PropertyId.SUBSCRIPTION_IDENTIFIER && repeatableSubscriptionId);
            if (!repeatable && (seen & (1L << id)) != 0) {
                throw protocolError(where + " contains " + p + " more than once");
            }
            seen |= 1L << id;
            String name = where + " " + p;
            switch (p) {
                case PAYLOAD_FORMAT_INDICATOR -> b.payloadFormatIndicator(readFlag(name) ? 1 : 0);
                case MESSAGE_EXPIRY_INTERVAL -> b.messageExpiryInterval(readUnsignedInt(name));
                case CONTENT_TYPE -> b.contentType(readUtf8(name));
                case RESPONSE_TOPIC -> b.responseTopic(readUtf8(name));
                case CORRELATION_DATA -> b.correlationData(readBinary(name));
                case SUBSCRIPTION_IDENTIFIER -> {
                    int v = readVariableByteInteger(name);
                    if (v == 0) {
                        throw protocolError(name + " is 0");
                    }
                    b.addSubscriptionIdentifier(v);
                }
                case SESSION_EXPIRY_INTERVAL -> b.sessionExpiryInterval(readUnsignedInt(name));
                case ASSIGNED_CLIENT_IDENTIFIER -> b.assignedClientIdentifier(readUtf8(name));
                case SERVER_KEEP_ALIVE -> b.serverKeepAlive(readUnsignedShort(name));
                case AUTHENTICATION_METHOD -> b.authenticationMethod(readUtf8(name));
                case AUTHENTICATION_DATA -> b.authenticationData(readBinary(name));
                case REQUEST_PROBLEM_INFORMATION -> b.requestProblemInformation(readFlag(name));
                case WILL_DELAY_INTERVAL -> b.willDelayInterval(readUnsignedInt(name));
                case REQUEST_RESPONSE_INFORMATION -> b.requestResponseInformation(readFlag(name));
                case RESPONSE_INFORMATION -> b.responseInformation(readUtf8(name));
                case SERVER_REFERENCE -> b.serverReference(readUtf8(name));
                case REASON_STRING -> b.reasonString(readUtf8(name));
                case RECEIVE_MAXIMUM -> b.receiveMaximum(readNonZeroShort(name));
                case TOPIC_ALIAS_MAXIMUM -> b.topicAliasMaximum(readUnsignedShort(name));
                case TOPIC_ALIAS -> b.topicAlias(readUnsignedShort(name));
                case MAXIMUM_QOS -> b.maximumQos(readFlag(name) ? Qos.AT_LEAST_ONCE : Qos.AT_MOST_ONCE);
                case RETAIN_AVAILABLE -> b.retainAvailable(readFlag(name));
                case USER_PROPERTY -> b.addUserProperty(readUtf8(name + " name"), readUtf8(name + " value"));
                case MAXIMUM_PACKET_SIZE -> {
                    long v = readUnsignedInt(name);
                    if (v == 0) {
                        throw protocolError(name + " is 0");
                    }
                    b.maximumPacketSize(v);
                }
                case WILDCARD_SUBSCRIPTION_AVAILABLE -> b.wildcardSubscriptionAvailable(readFlag(name));
                case SUBSCRIPTION_IDENTIFIER_AVAILABLE -> b.subscriptionIdentifierAvailable(readFlag(name));
                case SHARED_SUBSCRIPTION_AVAILABLE -> b.sharedSubscriptionAvailable(readFlag(name));
            }
            if (buf.readerIndex() > end) {
                throw malformed(where + " properties overrun their length");
            }
        }
        return b.build();
    }

    private boolean readFlag(String what) throws MalformedPacketException {
        int v = readUnsignedByte(what);
        if (v > 1) {
            throw protocolError(what + " must be 0 or 1, was " + v);
        }
        return v == 1;
    }

    private int readNonZeroShort(String what) throws MalformedPacketException {
        int v = readUnsignedShort(what);
        if (v == 0) {
            throw protocolError(what + " is 0");
        }
        return v;
    }
}
