package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.testkit.RawMqttClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shared steps of the malformed-input tests: building hand-made packets byte by byte, connecting well-behaved raw
 * clients, checking the broker's exact answer to a violation and that the broker still serves other clients.
 */
final class RawProtocol {

    /** The bound of every wait for an answer or a close. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final AtomicInteger SEQ = new AtomicInteger();

    private RawProtocol() {
    }

    // ---- Building packets by hand ----

    /** Concatenates byte arrays. */
    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Bytes from ints 0..255. */
    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** Bytes from hex text, spaces allowed. */
    static byte[] hex(String hex) {
        return RawMqttClient.hex(hex);
    }

    /** A Two Byte Integer. */
    static byte[] u16(int v) {
        return bytes(v >> 8 & 0xFF, v & 0xFF);
    }

    /** A Variable Byte Integer. */
    static byte[] vbi(int v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int b = v % 128;
            v /= 128;
            out.write(v > 0 ? b | 0x80 : b);
        } while (v > 0);
        return out.toByteArray();
    }

    /** A UTF-8 Encoded String (length prefix, then the characters). */
    static byte[] utf8(String s) {
        return lengthPrefixed(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Raw bytes with a two-byte length prefix: a string field whose content may be ill-formed. */
    static byte[] lengthPrefixed(byte[] raw) {
        return cat(u16(raw.length), raw);
    }

    /** MQTT 5.0 properties: the property length, then the properties' bytes. */
    static byte[] props(byte[]... properties) {
        byte[] all = cat(properties);
        return cat(vbi(all.length), all);
    }

    /** A whole packet: the first header byte, the remaining length of the body, then the body. */
    static byte[] packet(int firstByte, byte[]... body) {
        byte[] b = cat(body);
        return cat(bytes(firstByte), vbi(b.length), b);
    }

    /**
     * An MQTT 5.0 CONNECT: protocol name MQTT, level 5, the flags, keep alive 60, the properties (already with their
     * length), then the payload fields as given.
     */
    static byte[] connectV5(int flags, byte[] properties, byte[]... payload) {
        return packet(0x10, utf8("MQTT"), bytes(5, flags), u16(60), properties, cat(payload));
    }

    /** An MQTT 3.1.1 CONNECT: protocol name MQTT, level 4, the flags, keep alive 60, then the payload fields. */
    static byte[] connectV311(int flags, byte[]... payload) {
        return packet(0x10, utf8("MQTT"), bytes(4, flags), u16(60), cat(payload));
    }

    /** A unique client identifier or topic level. */
    static String unique(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet();
    }

    // ---- Well-formed clients ----

    /** A raw client connected with a well-formed CONNECT (clean start, keep alive 60) and accepted. */
    static RawMqttClient connected(int port, MqttVersion version) throws IOException {
        RawMqttClient c = RawMqttClient.connect(port, version);
        try {
            c.send(new Connect(version, true, 60, unique("raw"), null, null, null, MqttProperties.EMPTY));
            ConnAck ack = c.expect(ConnAck.class, TIMEOUT);
            assertThat(ack.reasonCode()).as("CONNACK of a well-formed CONNECT").isEqualTo(ReasonCode.SUCCESS);
            return c;
        } catch (IOException | RuntimeException | AssertionError e) {
            c.close();
            throw e;
        }
    }

    // ---- The broker's answer to a violation ----

    /** The next packet is a refusing CONNACK with exactly this reason code, then the broker closes the connection. */
    static ConnAck assertRefused(RawMqttClient c, ReasonCode reason) throws IOException {
        Object answer = c.read(TIMEOUT);
        assertThat(answer).as("answer to the CONNECT").isInstanceOf(ConnAck.class);
        ConnAck ack = (ConnAck) answer;
        assertThat(ack.reasonCode()).as("CONNACK reason code").isEqualTo(reason);
        assertThat(ack.sessionPresent()).as("session present of a refusing CONNACK").isFalse();
        assertClosed(c);
        return ack;
    }

    /** The next packet is a DISCONNECT with exactly this reason code, then the broker closes the connection. */
    static Disconnect assertDisconnected(RawMqttClient c, ReasonCode reason) throws IOException {
        Object answer = c.read(TIMEOUT);
        assertThat(answer).as("answer to the violation").isInstanceOf(Disconnect.class);
        Disconnect d = (Disconnect) answer;
        assertThat(d.reasonCode()).as("DISCONNECT reason code").isEqualTo(reason);
        assertClosed(c);
        return d;
    }

    /** The broker closes the connection without sending anything (MQTT 3.1.1 violations, or no version known). */
    static void assertClosedWithoutAnswer(RawMqttClient c) {
        Object answer;
        try {
            answer = c.read(TIMEOUT);
        } catch (IOException closed) {
            return;
        }
        fail(answer == null ? "the connection is still open after " + TIMEOUT
                : "expected the connection to be closed without an answer, but the broker sent " + answer);
    }

    /** The broker closes the connection within the timeout. */
    static void assertClosed(RawMqttClient c) throws IOException {
        assertThat(c.awaitClosed(TIMEOUT)).as("the broker closed the connection within " + TIMEOUT).isTrue();
    }

    // ---- The broker still serves ----

    /**
     * A fresh, well-formed client session works end to end: one client subscribes, another publishes at QoS 1, the
     * publisher gets its PUBACK and the subscriber the message.
     */
    static void assertStillServing(int port) throws IOException {
        String topic = unique("still-serving") + "/probe";
        byte[] payload = ("alive " + topic).getBytes(StandardCharsets.UTF_8);
        try (RawMqttClient sub = connected(port, MqttVersion.MQTT_5);
             RawMqttClient pub = connected(port, MqttVersion.MQTT_5)) {
            sub.send(new Subscribe(1, List.of(new Subscription(topic, Qos.AT_LEAST_ONCE)), MqttProperties.EMPTY));
            assertThat(sub.expect(SubAck.class, TIMEOUT).reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_1);

            pub.send(new Publish(false, Qos.AT_LEAST_ONCE, false, topic, 7, MqttProperties.EMPTY, payload));
            PubAck ack = pub.expect(PubAck.class, TIMEOUT);
            assertThat(ack.packetId()).isEqualTo(7);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);

            Publish got = sub.expect(Publish.class, TIMEOUT);
            assertThat(got.topic()).isEqualTo(topic);
            assertThat(got.payload()).isEqualTo(payload);
            assertThat(got.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
            sub.send(new PubAck(got.packetId()));

            pub.send(Disconnect.NORMAL);
            sub.send(Disconnect.NORMAL);
            assertClosed(pub);
            assertClosed(sub);
        }
    }
}
