package io.mast.it;

import static org.assertj.core.api.Assertions.fail;

import io.mast.client.ConnectResult;
import io.mast.client.ConnectionListener;
import io.mast.client.DisconnectEvent;
import io.mast.client.MastClient;
import io.mast.client.MastClientBuilder;
import io.mast.client.MessageListener;
import io.mast.client.MqttMessage;
import io.mast.codec.MqttVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What the tests of Mast's client share: bounded waits, an inbox of received messages, connection events. */
final class ClientTesting {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ClientTesting() {
    }

    /** A client builder for a broker on 127.0.0.1: short connect timeout. */
    static MastClientBuilder client(int port, String id, MqttVersion version) {
        return MastClient.builder().host("127.0.0.1").port(port).clientId(id).version(version)
                .connectTimeout(TIMEOUT);
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Collects messages; {@link #next()} waits for the next one, bounded. */
    static final class Inbox implements MessageListener {
        private final BlockingQueue<MqttMessage> queue = new LinkedBlockingQueue<>();

        @Override
        public void onMessage(MqttMessage message) {
            queue.add(message);
        }

        MqttMessage next() throws InterruptedException {
            MqttMessage m = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                fail("no message arrived within " + TIMEOUT);
            }
            return m;
        }

        /** The next {@code n} messages. */
        List<MqttMessage> next(int n) throws InterruptedException {
            List<MqttMessage> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(next());
            }
            return out;
        }

        /** Messages received before the first one on {@code marker} (published after them at the same or higher QoS). */
        List<MqttMessage> until(String marker) throws InterruptedException {
            List<MqttMessage> out = new ArrayList<>();
            while (true) {
                MqttMessage m = next();
                if (m.topic().equals(marker)) {
                    return out;
                }
                out.add(m);
            }
        }
    }

    /** Records connections and disconnections. */
    static final class Events implements ConnectionListener {
        final List<ConnectResult> connected = new CopyOnWriteArrayList<>();
        final List<DisconnectEvent> disconnected = new CopyOnWriteArrayList<>();

        @Override
        public void onConnected(ConnectResult result) {
            connected.add(result);
        }

        @Override
        public void onDisconnected(DisconnectEvent event) {
            disconnected.add(event);
        }
    }
}
