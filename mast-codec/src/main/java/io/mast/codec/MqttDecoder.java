package io.mast.codec;

import io.mast.codec.decoder.AuthDecoder;
import io.mast.codec.decoder.ConnAckDecoder;
import io.mast.codec.decoder.ConnectDecoder;
import io.mast.codec.decoder.DisconnectDecoder;
import io.mast.codec.decoder.MalformedPacketException;
import io.mast.codec.decoder.MqttReader;
import io.mast.codec.decoder.PublishAcknowledgementDecoder;
import io.mast.codec.decoder.PublishDecoder;
import io.mast.codec.decoder.SubAckDecoder;
import io.mast.codec.decoder.SubscribeDecoder;
import io.mast.codec.decoder.UnsubAckDecoder;
import io.mast.codec.decoder.UnsubscribeDecoder;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.PingReq;
import io.mast.codec.packet.PingResp;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Frames the byte stream into MQTT packets and decodes each into its record. Bad input never throws: it
 * becomes one {@link DecodeFailure} carrying the reason code, after which all further input is discarded.
 *
 * <p>On the server side the first packet must be CONNECT, whose protocol level fixes the version for the rest
 * of the connection. On the client side the version is the one the client sent. The packet size limit is
 * checked as soon as the remaining length is known, before the packet is buffered.
 */
public final class MqttDecoder extends ByteToMessageDecoder {

    /** Which side of the connection this decoder runs on; it decides which packet types may arrive. */
    public enum Role { SERVER, CLIENT }

    /** The CONNECT bytes that hold the protocol name (two length bytes and at most six characters) and level. */
    private static final int CONNECT_VERSION_BYTES = 9;

    private final Role role;
    private volatile int maxPacketSize;
    /** The largest CONNECT or AUTH accepted on the server before {@link #accepted()}. */
    private volatile int connectLimit = Integer.MAX_VALUE;
    private volatile boolean accepted;
    private MqttVersion version;
    private boolean failed;

    /**
     * @param role          the side this decoder is on
     * @param maxPacketSize the largest packet accepted, fixed header included
     * @param version       the version in use, or {@code null} on the server until CONNECT arrives
     */
    public MqttDecoder(Role role, int maxPacketSize, MqttVersion version) {
        this.role = role;
        this.maxPacketSize = maxPacketSize;
        this.version = version;
    }

    /** A server-side decoder waiting for CONNECT. */
    public static MqttDecoder forServer(int maxPacketSize) {
        return new MqttDecoder(Role.SERVER, maxPacketSize, null);
    }

    /** A client-side decoder for the version the client speaks. */
    public static MqttDecoder forClient(int maxPacketSize, MqttVersion version) {
        return new MqttDecoder(Role.CLIENT, maxPacketSize, version);
    }

    /**
     * A server-side decoder waiting for CONNECT whose CONNECT and AUTH packets may not exceed {@code connectLimit}
     * bytes until {@link #accepted()}: a client that is not yet authenticated cannot make the server buffer more.
     */
    public static MqttDecoder forServer(int maxPacketSize, int connectLimit) {
        MqttDecoder d = forServer(maxPacketSize);
        d.connectLimit = connectLimit;
        return d;
    }

    /** The server accepted the connection (CONNACK with success): CONNECT and AUTH are limited as other packets. */
    public void accepted() {
        accepted = true;
    }

    /** The version seen in CONNECT (server) or given (client); {@code null} before CONNECT. */
    public MqttVersion version() {
        return version;
    }

    /** Changes the version, for a client that falls back to an older one on a new connection. */
    public void version(MqttVersion version) {
        this.version = version;
    }

    /** Changes the size limit, for a client that learns the server's limit from CONNACK. */
    public void maxPacketSize(int maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!failed) {
            Object result = decodeOne(in);
            if (result == null) {
                return;
            }
            out.add(result);
        }
        in.skipBytes(in.readableBytes());
    }

    /**
     * Decodes one packet from the buffer: returns a {@link MqttPacket}, a {@link DecodeFailure}, or {@code null}
     * when more bytes are needed (nothing is consumed then). Usable without Netty's pipeline, for tests.
     */
    public Object decodeOne(ByteBuf in) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable < 2) {
            return null;
        }
        int first = in.getUnsignedByte(start);
        PacketType type = PacketType.of(first >> 4);
        int flags = first & 0x0F;

        int remainingLength = 0;
        int headerLength = 1;
        for (int i = 0; ; i++) {
            if (i == 4) {
                return fail(ReasonCode.MALFORMED_PACKET, "remaining length longer than four bytes", type);
            }
            if (readable < headerLength + 1) {
                return null;
            }
            int b = in.getUnsignedByte(start + headerLength);
            headerLength++;
            remainingLength |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    // MQTT 5.0 [MQTT-1.5.5-1]: the fewest bytes, so a last byte of 0 is malformed (C0 80 00 is not
                    // PINGREQ). MQTT 3.1.1 (section 2.2.3) has no numbered rule, but it defines the field as a single
                    // byte up to 127 and Table 2.4 gives the only values each size may carry (two bytes: 128 to
                    // 16,383): a longer form is outside the encoding, and 4.8 says a protocol violation closes the
                    // connection. Refused on every version alike: the version is not known before CONNECT, and no
                    // encoder (the specifications' own algorithm included) writes a longer form.
                    return fail(ReasonCode.MALFORMED_PACKET, "remaining length " + remainingLength + " encoded in "
                            + (headerLength - 1) + " bytes, not the fewest", type);
                }
                break;
            }
        }
        if (type == null) {
            return fail(ReasonCode.MALFORMED_PACKET, "reserved packet type 0", null);
        }
        long total = (long) headerLength + remainingLength;
        int limit = role == Role.SERVER && !accepted && (type == PacketType.CONNECT || type == PacketType.AUTH)
                ? Math.min(maxPacketSize, connectLimit) : maxPacketSize;
        if (total > limit) {
            if (type == PacketType.CONNECT && role == Role.SERVER && version == null) {
                // MQTT 5.0 refuses an oversized CONNECT with CONNACK 0x95 (section 3.2.2.2), so learn the version from
                // the protocol name and level first: at most 9 bytes are waited for, the rest is never buffered.
                int needed = Math.min(CONNECT_VERSION_BYTES, remainingLength);
                if (readable - headerLength < needed) {
                    return null;
                }
                version = ConnectDecoder.peekVersion(in.slice(start + headerLength, needed));
            }
            return fail(ReasonCode.PACKET_TOO_LARGE, type + " of " + total + " bytes exceeds the maximum packet size of "
                    + limit + (limit < maxPacketSize ? " before the connection is accepted" : ""), type);
        }
        if (type != PacketType.PUBLISH && flags != type.requiredFlags()) {
            return fail(ReasonCode.MALFORMED_PACKET,
                    String.format("%s with fixed header flags 0x%X, must be 0x%X", type, flags, type.requiredFlags()), type);
        }
        String misplaced = checkAllowed(type);
        if (misplaced != null) {
            return fail(type == PacketType.AUTH && version != null && !version.isV5()
                    ? ReasonCode.MALFORMED_PACKET : ReasonCode.PROTOCOL_ERROR, misplaced, type);
        }
        if (readable < total) {
            return null;
        }
        ByteBuf body = in.slice(start + headerLength, remainingLength);
        in.skipBytes((int) total);
        if (type == PacketType.CONNECT) {
            version = ConnectDecoder.peekVersion(body);
        }
        try {
            return decodeBody(type, flags, new MqttReader(body));
        } catch (MalformedPacketException e) {
            return fail(e.reasonCode(), e.getMessage(), type);
        }
    }

    /** Why this packet type may not arrive now, or {@code null} when it may. */
    private String checkAllowed(PacketType type) {
        if (role == Role.SERVER) {
            if (version == null) {
                return type == PacketType.CONNECT ? null : "the first packet must be CONNECT, was " + type;
            }
            return switch (type) {
                case CONNECT -> "a second CONNECT";
                case CONNACK, SUBACK, UNSUBACK, PINGRESP -> type + " sent by a client";
                case AUTH -> version.isV5() ? null : "AUTH is reserved before MQTT 5.0";
                default -> null;
            };
        }
        return switch (type) {
            case CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ -> type + " sent by a server";
            case AUTH -> version.isV5() ? null : "AUTH is reserved before MQTT 5.0";
            case DISCONNECT -> version.isV5() ? null : "DISCONNECT sent by a 3.1.1 server";
            default -> null;
        };
    }

    private MqttPacket decodeBody(PacketType type, int flags, MqttReader in) throws MalformedPacketException {
        return switch (type) {
            case CONNECT -> ConnectDecoder.decode(in);
            case CONNACK -> ConnAckDecoder.decode(in, version);
            case PUBLISH -> PublishDecoder.decode(in, flags, version, role == Role.SERVER);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> PublishAcknowledgementDecoder.decode(in, type, version);
            case SUBSCRIBE -> SubscribeDecoder.decode(in, version);
            case SUBACK -> SubAckDecoder.decode(in, version);
            case UNSUBSCRIBE -> UnsubscribeDecoder.decode(in, version);
            case UNSUBACK -> UnsubAckDecoder.decode(in, version);
            case PINGREQ -> empty(in, PingReq.INSTANCE);
            case PINGRESP -> empty(in, PingResp.INSTANCE);
            case DISCONNECT -> DisconnectDecoder.decode(in, version);
            case AUTH -> AuthDecoder.decode(in);
        };
    }

    private static MqttPacket empty(MqttReader in, MqttPacket packet) throws MalformedPacketException {
        if (in.remaining() != 0) {
            throw MalformedPacketException.malformed(packet.type() + " with a remaining length of " + in.remaining());
        }
        return packet;
    }

    private DecodeFailure fail(ReasonCode reason, String message, PacketType type) {
        failed = true;
        return new DecodeFailure(reason, message, type, version);
    }
}
