package io.mast.bench.peers;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Moquette 0.17 for bench/compare.sh: a TCP listener on 127.0.0.1, persistence off (memory only), a session queue of
 * 1000 messages, telemetry off (it would phone home), anonymous clients and empty client identifiers allowed. It
 * speaks MQTT 3.1.1 only. Prints "ready" when it listens and runs until SIGTERM.
 *
 * <p>Usage: {@code java -jar moquette-peer.jar PORT WORKDIR}
 */
public final class MoquettePeer {

    private MoquettePeer() {
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", args[0]);
        p.setProperty("websocket_port", "disabled");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("data_path", args[1]);
        p.setProperty("session_queue_size", "1000");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("allow_zero_byte_client_id", "true");
        p.setProperty("netty.tcp_nodelay", "true");
        Server server = new Server();
        server.startServer(new MemoryConfig(p));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stopServer();
            stopped.countDown();
        }));
        System.out.println("ready");
        System.out.flush();
        stopped.await();
    }
}
