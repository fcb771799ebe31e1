package io.mast.testkit;

import io.mast.codec.DecodeFailure;
import io.mast.codec.MqttDecoder;
import io.mast.codec.MqttVersion;
import io.mast.codec.encoder.PacketEncoder;
import io.mast.codec.packet.MqttPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A client that speaks bytes, not the protocol: it sends whatever it is given (valid packets encoded by Mast's codec,
 * or hand-made malformed ones) and reads back what the broker answers, decoded as a client would.
 */
public final class RawMqttClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final MqttDecoder decoder;
    private final ByteBuf received = Unpooled.buffer();
    private MqttVersion version;

    private RawMqttClient(Socket socket, MqttVersion version) throws IOException {
        this.socket = socket;
        this.socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.version = version;
        this.decoder = MqttDecoder.forClient(Integer.MAX_VALUE, version);
    }

    /** Opens a connection to 127.0.0.1:port; answers are decoded as the given version. */
    public static RawMqttClient connect(int port, MqttVersion version) throws IOException {
        return new RawMqttClient(new Socket("127.0.0.1", port), version);
    }

    /**
     * Opens a connection to 127.0.0.1:port from a given loopback source address (another 127.x address looks like
     * another host to the broker), with a receive buffer of the given size (0 for the system's): a small one, with
     * nothing read, makes a client that stalls after a few kilobytes.
     */
    public static RawMqttClient connect(int port, MqttVersion version, String sourceAddress, int receiveBuffer)
            throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer); // before connecting, so the window is offered small
        }
        if (sourceAddress != null) {
            socket.bind(new java.net.InetSocketAddress(sourceAddress, 0));
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
        return new RawMqttClient(socket, version);
    }

    /** Changes the version answers are decoded as. */
    public void version(MqttVersion v) {
        this.version = v;
        decoder.version(v);
    }

    /** Sends raw bytes. */
    public RawMqttClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends bytes written in hex, spaces allowed: {@code "10 0c 00 04 4d 51 54 54 ..."}. */
    public RawMqttClient sendHex(String hex) throws IOException {
        return send(hex(hex));
    }

    /** Sends a packet encoded by Mast's codec for the client's version. */
    public RawMqttClient send(MqttPacket packet) throws IOException {
        return send(encode(packet, version));
    }

    /** The bytes of a packet as Mast's codec encodes it. */
    public static byte[] encode(MqttPacket packet, MqttVersion version) {
        ByteBuf b = PacketEncoder.encode(UnpooledByteBufAllocator.DEFAULT, packet, version);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    /** Hex text to bytes. */
    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    /**
     * The next packet from the broker: a {@link MqttPacket}, or a {@link DecodeFailure} when it sent something this
     * client cannot decode. Returns {@code null} when nothing came within the timeout.
     *
     * @throws IOException when the broker closed the connection
     */
    public Object read(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] chunk = new byte[8192];
        while (true) {
            Object decoded = decoder.decodeOne(received);
            if (decoded != null) {
                received.discardReadBytes();
                return decoded;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            int n;
            try {
                n = in.read(chunk);
            } catch (SocketTimeoutException e) {
                return null;
            }
            if (n < 0) {
                throw new IOException("the broker closed the connection");
            }
            received.writeBytes(chunk, 0, n);
        }
    }

    /** The next packet, which must be of the given type. */
    public <T extends MqttPacket> T expect(Class<T> type, Duration timeout) throws IOException {
        Object p = read(timeout);
        if (!type.isInstance(p)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + p);
        }
        return type.cast(p);
    }

    /**
     * Waits until the broker closes the connection, skipping what it sends meanwhile. Returns false when it is still
     * open after the timeout.
     */
    public boolean awaitClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] chunk = new byte[8192];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            try {
                int n = in.read(chunk);
                if (n < 0) {
                    return true;
                }
                received.writeBytes(chunk, 0, n);
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the broker
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        received.release();
        socket.close();
    }
}
