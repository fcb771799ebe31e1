package io.mast.examples.exhook;

import io.mast.exhook.sdk.AuthorizeAction;
import io.mast.exhook.sdk.ClientInfo;
import io.mast.exhook.sdk.HookProvider;
import io.mast.exhook.sdk.HookServer;
import io.mast.exhook.sdk.Message;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's hook server on the Java SDK: a login needs a client id, publishing and subscribing need a user name,
 * every publish is logged, and clients' online status and history go to files ({@link ClientLog}).
 * <pre>
 * java -jar target/exhook-java-example.jar [--port 9000] [--host 127.0.0.1] [--data-dir data]
 * </pre>
 */
public final class SeedHooks extends HookProvider {

    private static final Logger log = LoggerFactory.getLogger(SeedHooks.class);

    private final ClientLog clients;

    /** Records clients in {@code dataDir}. */
    public SeedHooks(Path dataDir) {
        this.clients = new ClientLog(dataDir);
    }

    /** Allows a login only when the client id is not empty. */
    @Override
    public boolean onClientAuthenticate(ClientInfo client, boolean resultSoFar) {
        log.info("authenticate {}", client.clientId());
        return !client.clientId().isEmpty();
    }

    /** Denies publishing and subscribing when the user name is empty. */
    @Override
    public boolean onClientAuthorize(ClientInfo client, AuthorizeAction action, String topic, boolean resultSoFar) {
        log.info("authorize {} {} {}", client.username(), action, topic);
        return !client.username().isEmpty();
    }

    /** Logs every publish and lets it through unchanged. */
    @Override
    public Message onMessagePublish(Message message) {
        log.info("publish {} {}: {}", message.from(), message.topic(), message.payloadAsString());
        return message;
    }

    @Override
    public void onClientConnected(ClientInfo client) {
        clients.online(client.clientId(), client.username(), client.peerHost() + ":" + client.peerPort());
    }

    @Override
    public void onClientDisconnected(ClientInfo client, String reason) {
        clients.offline(client.clientId(), reason);
    }

    /** Serves the hooks until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        int port = 9000;
        String host = "127.0.0.1";
        Path dataDir = Path.of("data");
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(require(args[i], value));
                case "--host" -> host = require(args[i], value);
                case "--data-dir" -> dataDir = Path.of(require(args[i], value));
                default -> {
                    System.err.println("usage: SeedHooks [--port 9000] [--host 127.0.0.1] [--data-dir data]");
                    System.exit(2);
                }
            }
            i++;
        }
        HookServer.serve(new SeedHooks(dataDir), host, port).awaitTermination();
    }

    private static String require(String option, String value) {
        if (value == null) {
            System.err.println(option + ": missing value");
            System.exit(2);
        }
        return value;
    }
}
