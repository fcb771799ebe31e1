package io.mast.broker.store.rocksdb;

import io.mast.broker.message.BrokerMessage;
import io.mast.broker.store.Persistence.SessionRecord;
import io.mast.broker.store.Persistence.StoredDelivery;
import io.mast.broker.store.Persistence.StoredSubscription;
import io.mast.broker.store.Persistence.StoredWill;
import io.mast.codec.MqttProperties;
import io.mast.codec.PacketType;
import io.mast.codec.Qos;
import io.mast.codec.decoder.MalformedPacketException;
import io.mast.codec.decoder.MqttReader;
import io.mast.codec.encoder.MqttWriter;
import io.mast.codec.packet.RetainHandling;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The byte layout of stored keys and values. Every value starts with a format byte. Message properties are stored in
 * their MQTT 5.0 wire form, read back by the codec. Keys are a client identifier (or topic), a 0 byte (which MQTT
 * strings cannot contain), then a big-endian number, so one client's entries are adjacent and in order.
 */
final class StoredCodec {

    private static final int FORMAT = 1;

    private StoredCodec() {
    }

    // ---- Keys ----

    static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    /** The first key of a client's entries. */
    static byte[] prefix(String clientId) {
        byte[] id = key(clientId);
        return Arrays.copyOf(id, id.length + 1);
    }

    /** The key just after a client's entries. */
    static byte[] prefixEnd(String clientId) {
        byte[] p = prefix(clientId);
        p[p.length - 1] = 1;
        return p;
    }

    static byte[] key(String clientId, String name) {
        byte[] p = prefix(clientId);
        byte[] n = key(name);
        byte[] k = Arrays.copyOf(p, p.length + n.length);
        System.arraycopy(n, 0, k, p.length, n.length);
        return k;
    }

    static byte[] key(String clientId, long number) {
        byte[] p = prefix(clientId);
        byte[] k = Arrays.copyOf(p, p.length + 8);
        for (int i = 0; i < 8; i++) {
            k[p.length + i] = (byte) (number >>> (56 - 8 * i));
        }
        return k;
    }

    /** The client identifier of a prefixed key. */
    static String owner(byte[] key) {
        int zero = indexOfZero(key);
        return new String(key, 0, zero, StandardCharsets.UTF_8);
    }

    /** The name after the prefix. */
    static String suffix(byte[] key) {
        int zero = indexOfZero(key);
        return new String(key, zero + 1, key.length - zero - 1, StandardCharsets.UTF_8);
    }

    /** The number after the prefix. */
    static long number(byte[] key) {
        int zero = indexOfZero(key);
        long n = 0;
        for (int i = zero + 1; i < key.length; i++) {
            n = (n << 8) | (key[i] & 0xFF);
        }
        return n;
    }

    private static int indexOfZero(byte[] key) {
        for (int i = 0; i < key.length; i++) {
            if (key[i] == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a prefixed key");
    }

    // ---- Values ----

    @FunctionalInterface
    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] encode(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T decode(byte[] value, Reader<T> r) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IOException("unknown format " + format);
            }
            return r.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a stored value: " + e.getMessage(), e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        return in.readNBytes(in.readInt());
    }

    private static void writeMessage(DataOutputStream out, BrokerMessage m) throws IOException {
        writeString(out, m.topic());
        writeBytes(out, m.payload());
        out.writeByte(m.qos().level());
        out.writeBoolean(m.retain());
        writeString(out, m.publisherId());
        out.writeLong(m.createdAt());
        out.writeLong(m.expiresAt());
        MqttProperties p = m.properties();
        int size = MqttWriter.propertiesSize(p);
        ByteBuf buf = Unpooled.buffer(size + 4);
        try {
            MqttWriter.writeProperties(buf, p, size);
            writeBytes(out, ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
    }

    private static BrokerMessage readMessage(DataInputStream in) throws IOException {
        String topic = readString(in);
        byte[] payload = readBytes(in);
        Qos qos = Qos.ofLevel(in.readUnsignedByte());
        boolean retain = in.readBoolean();
        String publisher = readString(in);
        long createdAt = in.readLong();
        long expiresAt = in.readLong();
        byte[] props = readBytes(in);
        MqttProperties properties;
        ByteBuf buf = Unpooled.wrappedBuffer(props);
        try {
            properties = new MqttReader(buf).readProperties(PacketType.PUBLISH);
        } catch (MalformedPacketException e) {
            throw new IOException("stored message properties: " + e.getMessage(), e);
        } finally {
            buf.release();
        }
        return new BrokerMessage(topic, payload, qos, retain, properties, publisher, createdAt, expiresAt);
    }

    static byte[] message(BrokerMessage m) {
        return encode(out -> writeMessage(out, m));
    }

    static BrokerMessage message(byte[] value) {
        return decode(value, StoredCodec::readMessage);
    }

    static byte[] session(SessionRecord r) {
        return encode(out -> {
            out.writeByte(r.protocolLevel());
            out.writeLong(r.expiryIntervalSeconds());
            out.writeLong(r.disconnectedAt());
            writeString(out, r.username());
        });
    }

    static SessionRecord session(String clientId, byte[] value) {
        return decode(value, in -> new SessionRecord(clientId, in.readUnsignedByte(), in.readLong(), in.readLong(),
                readString(in)));
    }

    static byte[] subscription(StoredSubscription s) {
        return encode(out -> {
            out.writeByte(s.qos().level());
            out.writeBoolean(s.noLocal());
            out.writeBoolean(s.retainAsPublished());
            out.writeByte(s.retainHandling().value());
            out.writeInt(s.subscriptionId());
        });
    }

    static StoredSubscription subscription(String filter, byte[] value) {
        return decode(value, in -> new StoredSubscription(filter, Qos.ofLevel(in.readUnsignedByte()), in.readBoolean(),
                in.readBoolean(), RetainHandling.of(in.readUnsignedByte()), in.readInt()));
    }

    static byte[] delivery(BrokerMessage m, Qos qos, boolean retainFlag, List<Integer> ids, int packetId,
                           boolean released) {
        return encode(out -> {
            writeMessage(out, m);
            out.writeByte(qos.level());
            out.writeBoolean(retainFlag);
            out.writeInt(ids.size());
            for (int id : ids) {
                out.writeInt(id);
            }
            out.writeInt(packetId);
            out.writeBoolean(released);
        });
    }

    static StoredDelivery delivery(long sequence, byte[] value) {
        return decode(value, in -> {
            BrokerMessage m = readMessage(in);
            Qos qos = Qos.ofLevel(in.readUnsignedByte());
            boolean retainFlag = in.readBoolean();
            int n = in.readInt();
            List<Integer> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ids.add(in.readInt());
            }
            return new StoredDelivery(sequence, m, qos, retainFlag, List.copyOf(ids), in.readInt(), in.readBoolean());
        });
    }

    static byte[] will(StoredWill w) {
        return encode(out -> {
            writeMessage(out, w.message());
            out.writeLong(w.delaySeconds());
            out.writeLong(w.publishAt());
        });
    }

    static StoredWill will(byte[] value) {
        return decode(value, in -> new StoredWill(readMessage(in), in.readLong(), in.readLong()));
    }
}
