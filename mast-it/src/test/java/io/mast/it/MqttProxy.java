package io.mast.it;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 between clients and a broker that understands MQTT framing well enough to withhold
 * packets of chosen types on their way to the client (say PUBACK), to cut every connection as a network failure
 * would, and to refuse new connections for a while. With it a test leaves a client with unacknowledged messages and
 * then breaks its connection, against any broker.
 */
final class MqttProxy implements AutoCloseable {

    /** MQTT packet types, the high nibble of the first byte. */
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;

    private final ServerSocket server;
    private final int target;
    private final Set<Integer> dropToClient = ConcurrentHashMap.newKeySet();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean refusing;

    MqttProxy(int targetPort) throws IOException {
        this.target = targetPort;
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread.ofPlatform().daemon().name("mqtt-proxy-accept").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Withholds packets of these types from the client (they are read from the broker and thrown away). */
    void drop(int... types) {
        for (int t : types) {
            dropToClient.add(t);
        }
    }

    /** Passes every packet again. */
    void dropNothing() {
        dropToClient.clear();
    }

    /** How many packets were withheld so far. */
    int dropped() {
        return dropped.get();
    }

    /** How many client connections were accepted and proxied so far. */
    int accepted() {
        return accepted.get();
    }

    /** New connections are closed at once while refusing. */
    void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** Breaks every connection now (both sides see the socket close, without DISCONNECT). */
    void cut() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        sockets.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (refusing) {
                close(client);
                continue;
            }
            Socket broker = new Socket();
            try {
                broker.connect(new InetSocketAddress("127.0.0.1", target), 5_000);
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
            } catch (IOException e) {
                close(client);
                close(broker);
                continue;
            }
            sockets.add(client);
            sockets.add(broker);
            accepted.incrementAndGet();
            Thread.ofPlatform().daemon().name("mqtt-proxy-up").start(() -> copy(client, broker));
            Thread.ofPlatform().daemon().name("mqtt-proxy-down").start(() -> filter(broker, client));
        }
    }

    private void copy(Socket from, Socket to) {
        byte[] buf = new byte[16_384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            close(from);
            close(to);
        }
    }

    /** Copies packet by packet, leaving out the types to drop. */
    private void filter(Socket from, Socket to) {
        try (DataInputStream in = new DataInputStream(from.getInputStream()); OutputStream out = to.getOutputStream()) {
            while (true) {
                int first = in.read();
                if (first < 0) {
                    return;
                }
                byte[] header = new byte[5];
                header[0] = (byte) first;
                int length = 0;
                int i = 1;
                for (int shift = 0; ; shift += 7) {
                    int b = in.read();
                    if (b < 0) {
                        throw new EOFException();
                    }
                    header[i++] = (byte) b;
                    length |= (b & 0x7F) << shift;
                    if ((b & 0x80) == 0) {
                        break;
                    }
                }
                byte[] body = new byte[length];
                in.readFully(body);
                if (dropToClient.contains(first >> 4)) {
                    dropped.incrementAndGet();
                    continue;
                }
                out.write(header, 0, i);
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }
}
