package io.mast.bench.peers;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ CE, embedded, for bench/compare.sh: a TCP listener on 127.0.0.1, in-memory persistence, a queue of 1000
 * messages per client (as Mast's and Mosquitto's max_queued_messages), no usage statistics. Prints "ready" when it
 * listens and runs until SIGTERM.
 *
 * <p>Usage: {@code java -jar hivemq-peer.jar PORT WORKDIR}
 */
public final class HiveMqPeer {

    private HiveMqPeer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                  </listeners>
                  <mqtt>
                    <queued-messages><max-queue-size>1000</max-queue-size><strategy>discard</strategy></queued-messages>
                  </mqtt>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(dir.resolve("data"))
                .withExtensionsFolder(dir.resolve("extensions"))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                hivemq.stop().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                // stopping anyway
            }
            stopped.countDown();
        }));
        hivemq.start().get(120, TimeUnit.SECONDS);
        System.out.println("ready");
        System.out.flush();
        stopped.await();
    }
}
