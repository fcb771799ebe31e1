package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import io.mast.codec.MqttDecoder;
import io.mast.codec.MqttVersion;
import io.mast.codec.packet.MqttPacket;
import io.mast.it.TestCertificates.Authority;
import io.mast.it.TestCertificates.Issued;
import io.mast.testkit.RawMqttClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * What the TLS and WebSocket listener tests ({@code Tls*IT}, {@code WebSocket*IT}) share: HiveMQ client settings for
 * TLS and WebSocket, and {@link RawWebSocket}, a WebSocket client that speaks frames by hand (to split a packet
 * over frames, put several packets in one, send a text frame or an Origin header). Every wait here is bounded.
 */
final class ListenerTesting {

    /** The bound of every wait. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private ListenerTesting() {
    }

    // ---- HiveMQ client ----

    /** HiveMQ TLS settings trusting a CA and, unless {@code client} is null, presenting a client certificate. */
    static MqttClientSslConfig hiveTls(Authority trusted, Issued client) {
        try {
            var b = MqttClientSslConfig.builder().trustManagerFactory(TestCertificates.trust(trusted.certificate))
                    .handshakeTimeout(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (client != null) {
                b = b.keyManagerFactory(client.keyManagers());
            }
            return b.build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A HiveMQ MQTT 5.0 client on this port over TLS. */
    static UnaryOperator<Mqtt5ClientBuilder> tls(int port, Authority trusted, Issued client) {
        return b -> b.serverPort(port).sslConfig(hiveTls(trusted, client));
    }

    /** A HiveMQ MQTT 5.0 client on this port over WebSocket at a path ({@code /mqtt}). */
    static UnaryOperator<Mqtt5ClientBuilder> websocket(int port, String path) {
        return b -> b.serverPort(port).webSocketConfig(MqttWebSocketConfig.builder()
                .serverPath(path.substring(1)).subprotocol("mqtt").build());
    }

    /** Paho (3.1.1 and 5.0) socket factory for TLS trusting a CA, with an optional client certificate. */
    static javax.net.SocketFactory pahoTls(Authority trusted, Issued client) {
        try {
            SSLContext ctx = TestCertificates.sslContext(trusted, client);
            return ctx.getSocketFactory();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- Raw HTTP and WebSocket ----

    /** An HTTP response: status code, headers (names in lower case) and body. */
    record HttpResponse(int status, Map<String, String> headers, String body) {
    }

    /**
     * A WebSocket client over a plain socket (so only for {@code ws} listeners) that writes frames exactly as told
     * (always masked, as a client must) and decodes the broker's binary frames as MQTT.
     */
    static final class RawWebSocket implements AutoCloseable {
        static final int CONTINUATION = 0x0;
        static final int TEXT = 0x1;
        static final int BINARY = 0x2;
        static final int CLOSE = 0x8;

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final SecureRandom random = new SecureRandom();
        private final ByteBuf mqtt = Unpooled.buffer();
        private final MqttDecoder decoder;
        /** The handshake's answer. */
        final HttpResponse handshake;
        /** The status code of the broker's close frame, once one came; -1 before. */
        int closeStatus = -1;

        private RawWebSocket(Socket socket, HttpResponse handshake, MqttVersion version) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.handshake = handshake;
            this.decoder = MqttDecoder.forClient(Integer.MAX_VALUE, version);
        }

        /**
         * Sends an HTTP GET for a WebSocket upgrade with these extra headers ({@code Origin},
         * {@code Sec-WebSocket-Protocol}; {@code null} values leave a default header out) and returns the connection
         * with the response, whatever its status.
         */
        static RawWebSocket open(int port, String path, Map<String, String> headers, MqttVersion version)
                throws IOException {
            Map<String, String> all = new LinkedHashMap<>();
            all.put("Host", "127.0.0.1:" + port);
            all.put("Upgrade", "websocket");
            all.put("Connection", "Upgrade");
            byte[] key = new byte[16];
            new SecureRandom().nextBytes(key);
            all.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(key));
            all.put("Sec-WebSocket-Version", "13");
            all.put("Sec-WebSocket-Protocol", "mqtt");
            all.putAll(headers);
            StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
            all.forEach((k, v) -> {
                if (v != null) {
                    req.append(k).append(": ").append(v).append("\r\n");
                }
            });
            req.append("\r\n");
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
                s.setSoTimeout((int) TIMEOUT.toMillis());
                s.setTcpNoDelay(true);
                s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                return new RawWebSocket(s, readResponse(s.getInputStream()), version);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
        }

        /** A WebSocket connection for MQTT at a path, whose handshake must succeed (101). */
        static RawWebSocket connect(int port, String path, MqttVersion version) throws IOException {
            RawWebSocket ws = open(port, path, Map.of(), version);
            assertThat(ws.handshake.status()).as("handshake status; body: %s", ws.handshake.body()).isEqualTo(101);
            return ws;
        }

        /** Sends a raw HTTP request text and reads the response (the connection is closed after). */
        static HttpResponse http(int port, String request) throws IOException {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
                s.setSoTimeout((int) TIMEOUT.toMillis());
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                return readResponse(s.getInputStream());
            }
        }

        private static HttpResponse readResponse(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the broker closed the connection before answering: " + head);
                }
                head.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim());
                }
            }
            String body = "";
            String length = headers.get("content-length");
            if (length != null && status != 101) {
                byte[] b = in.readNBytes(Integer.parseInt(length));
                body = new String(b, StandardCharsets.UTF_8);
            }
            return new HttpResponse(status, headers, body);
        }

        /** Sends one frame. */
        RawWebSocket frame(int opcode, boolean fin, byte[] payload) throws IOException {
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            f.write((fin ? 0x80 : 0) | opcode);
            int n = payload.length;
            if (n < 126) {
                f.write(0x80 | n);
            } else if (n < 65536) {
                f.write(0x80 | 126);
                f.write(n >> 8);
                f.write(n & 0xFF);
            } else {
                f.write(0x80 | 127);
                for (int i = 7; i >= 0; i--) {
                    f.write((int) ((long) n >> (8 * i)) & 0xFF);
                }
            }
            byte[] mask = new byte[4];
            random.nextBytes(mask);
            f.writeBytes(mask);
            for (int i = 0; i < n; i++) {
                f.write(payload[i] ^ mask[i % 4]);
            }
            out.write(f.toByteArray());
            out.flush();
            return this;
        }

        /** Sends bytes as one binary frame. */
        RawWebSocket binary(byte[] payload) throws IOException {
            return frame(BINARY, true, payload);
        }

        /** Sends a packet as one binary frame. */
        RawWebSocket send(MqttPacket packet, MqttVersion version) throws IOException {
            return binary(RawMqttClient.encode(packet, version));
        }

        /**
         * The next MQTT packet from the broker, put together from its binary frames; {@code null} when none came
         * within the timeout.
         *
         * @throws IOException when the connection closed (a close frame came, or the socket closed)
         */
        Object read(Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Object decoded = decoder.decodeOne(mqtt);
                if (decoded != null) {
                    mqtt.discardReadBytes();
                    return decoded;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return null;
                }
                socket.setSoTimeout((int) Math.max(1, left));
                int[] header;
                try {
                    header = readFrameHeader();
                } catch (SocketTimeoutException e) {
                    return null;
                }
                byte[] payload = in.readNBytes(header[1]);
                if (header[0] == CLOSE) {
                    closeStatus = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                    throw new IOException("the broker closed the WebSocket with status " + closeStatus);
                }
                if (header[0] == BINARY || header[0] == CONTINUATION) {
                    mqtt.writeBytes(payload);
                }
            }
        }

        /** The next packet, which must be of this type. */
        <T extends MqttPacket> T expect(Class<T> type) throws IOException {
            Object p = read(TIMEOUT);
            if (!type.isInstance(p)) {
                throw new AssertionError("expected " + type.getSimpleName() + " but got " + p);
            }
            return type.cast(p);
        }

        /** Opcode and payload length of the next frame (the broker's frames are not masked). */
        private int[] readFrameHeader() throws IOException {
            int b0 = in.read();
            if (b0 < 0) {
                throw new IOException("the broker closed the connection");
            }
            int b1 = in.read();
            if (b1 < 0) {
                throw new IOException("the broker closed the connection");
            }
            long len = b1 & 0x7F;
            if (len == 126) {
                len = ((in.read() & 0xFF) << 8) | (in.read() & 0xFF);
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | (in.read() & 0xFF);
                }
            }
            return new int[] {b0 & 0x0F, (int) len};
        }

        /**
         * Waits until the broker closes the connection (a close frame or the socket's end), skipping what it sends
         * meanwhile; false when it is still open after the timeout.
         */
        boolean awaitClosed(Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (read(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))) == null) {
                        return false;
                    }
                } catch (IOException e) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            mqtt.release();
            socket.close();
        }
    }
}
