package com.example.mast;

import io.mast.plugin.AdminResponse;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.AuthPlugin;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Decision;
import io.mast.plugin.Default;
import io.mast.plugin.DisconnectInfo;
import io.mast.plugin.Message;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.Reason;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicPlugin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seed's use cases in one plugin:
 * <ul>
 *   <li>a login is allowed only when the client sent a client identifier (not an empty one);</li>
 *   <li>publishing and subscribing are denied when the user name is empty;</li>
 *   <li>every publish is logged;</li>
 *   <li>clients' online status and history are recorded in a file, and the clients online now are served in the
 *       broker's admin API ({@code GET /api/v1/audit}, {@code mast ctl get audit}).</li>
 * </ul>
 * <pre>{@code
 * plugins:
 *   com.example.mast.AuditPlugin:
 *     history_file: /var/lib/mast/client-history.log
 * }</pre>
 */
@NonBlocking // the two decisions only look at the request: the broker may call them on its network threads
public final class AuditPlugin extends BrokerPlugin implements AuthPlugin, TopicPlugin {

    /** The options, bound from the config file: {@code history_file}, {@code max_logged_payload}. */
    public record Config(@Default("client-history.log") String historyFile, @Default("64") int maxLoggedPayload) {
    }

    private final Path history;
    private final int maxLoggedPayload;
    private final Map<String, Boolean> online = new ConcurrentHashMap<>();

    public AuditPlugin(BrokerContext context) throws IOException {
        super(context);
        Config config = config(Config.class);
        this.history = Path.of(config.historyFile()).toAbsolutePath();
        this.maxLoggedPayload = config.maxLoggedPayload();
        Files.createDirectories(history.getParent());
        context.metrics().gauge("clients.online", () -> online.values().stream().filter(Boolean::booleanValue).count());
        // With an admin: section in the broker's config, GET /api/v1/audit answers {"online": ["sensor-1", ...]}.
        context.adminResource("audit", request -> CompletableFuture.completedFuture(request.method().equals("GET")
                ? AdminResponse.ok(Map.of("online", onlineClients()))
                : AdminResponse.error(405, "METHOD_NOT_ALLOWED", "only GET is served at /api/v1/audit")));
        log().info("Recording client history in {}", history);
    }

    // ---- Decisions ----

    @Override
    public AuthDecision authenticate(ConnectInfo connect) {
        if (connect.clientIdAssigned()) {
            return AuthDecision.deny(Reason.CLIENT_IDENTIFIER_NOT_VALID, "a client identifier is required");
        }
        return AuthDecision.allow();
    }

    @Override
    public Set<TopicAction> actions() {
        return EnumSet.of(TopicAction.PUBLISH, TopicAction.SUBSCRIBE); // no check per delivered message
    }

    @Override
    public Decision authorize(ClientInfo client, TopicAction action, String topic) {
        if (client == null) {
            return Decision.ABSTAIN; // a message of the broker itself (or of another plugin)
        }
        String user = client.username();
        return user == null || user.isEmpty() ? Decision.deny(Reason.NOT_AUTHORIZED, "a user name is required")
                : Decision.ALLOW;
    }

    // ---- Events: delivered in order per client, off the network threads ----

    @Override
    public void onMessagePublished(ClientInfo publisher, Message message) {
        String payload = message.payloadAsString();
        if (payload.length() > maxLoggedPayload) {
            payload = payload.substring(0, maxLoggedPayload) + "...";
        }
        log().info("publish {} from {} qos={} retain={}: {}", message.topic(),
                publisher == null ? "the broker" : publisher.clientId(), message.qos(), message.retain(), payload);
    }

    @Override
    public void onClientConnected(ClientInfo client) {
        online.put(client.clientId(), true);
        record(client.clientId(), "online", "user=" + client.username() + " from="
                + client.remoteAddress().getAddress().getHostAddress() + " mqtt=" + client.protocolVersion());
    }

    @Override
    public void onClientDisconnected(ClientInfo client, DisconnectInfo disconnect) {
        online.put(client.clientId(), false);
        record(client.clientId(), "offline", "reason=" + disconnect.reason());
    }

    /** Appends one line: {@code 2025-01-01T10:00:00Z sensor-1 online user=alice from=10.0.0.5 mqtt=5}. */
    private synchronized void record(String clientId, String status, String details) {
        String line = Instant.now() + " " + clientId + " " + status + " " + details + System.lineSeparator();
        try {
            Files.writeString(history, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // logged and counted by the broker; the client is not affected
        }
    }

    /** The clients online now, as far as this plugin has seen, sorted. */
    public List<String> onlineClients() {
        return online.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted().toList();
    }

    /** Whether a client is online now, as far as this plugin has seen. */
    public boolean isOnline(String clientId) {
        return online.getOrDefault(clientId, false);
    }
}
