package io.mast.exhook.emqx4;

import io.emqx.extension.handler.DefaultCommunicationHandler;
import io.emqx.extension.handler.codec.ActionOption;
import io.emqx.extension.handler.codec.HookSpec;
import io.emqx.extension.handler.codec.Initializer;
import io.emqx.extension.handler.codec.PubSub;
import io.emqx.extension.handler.codec.Reason;
import io.emqx.extension.handler.codec.ReturnCode;
import io.emqx.extension.handler.codec.Topic;
import io.mast.exhook.sdk.Answer;
import io.mast.exhook.sdk.AuthorizeAction;
import io.mast.exhook.sdk.ClientInfo;
import io.mast.exhook.sdk.ConnInfo;
import io.mast.exhook.sdk.HookProvider;
import io.mast.exhook.sdk.Message;
import io.mast.exhook.sdk.Properties;
import io.mast.exhook.sdk.SubOpts;
import io.mast.exhook.sdk.TopicFilter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serves an EMQX 4.x handler ({@link DefaultCommunicationHandler}) on Mast's Java SDK: registers the hooks its
 * {@code init()} lists (with their topics), calls the handler's methods with EMQX 4.x's argument types, one call at a
 * time as EMQX 4.x's single driver process did, and turns their results into answers: a boolean from
 * {@code onClientAuthenticate} or {@code onClientCheckAcl} is final ({@code STOP_AND_RETURN}), as is the message
 * {@code onMessagePublish} returns; null from it drops the message.
 * <pre>{@code
 * HookServer.serve(new HandlerProvider(new SampleHandler()), 9000).awaitTermination();
 * }</pre>
 */
public final class HandlerProvider extends HookProvider {

    /** EMQX 4.x's hook names and Mast's. */
    private static final Map<String, String> HOOK_NAMES = Map.ofEntries(
            Map.entry("client_connect", "client.connect"), Map.entry("client_connack", "client.connack"),
            Map.entry("client_connected", "client.connected"),
            Map.entry("client_disconnected", "client.disconnected"),
            Map.entry("client_authenticate", "client.authenticate"),
            Map.entry("client_check_acl", "client.authorize"), Map.entry("client_subscribe", "client.subscribe"),
            Map.entry("client_unsubscribe", "client.unsubscribe"), Map.entry("session_created", "session.created"),
            Map.entry("session_subscribed", "session.subscribed"),
            Map.entry("session_unsubscribed", "session.unsubscribed"),
            Map.entry("session_resumed", "session.resumed"), Map.entry("session_discarded", "session.discarded"),
            Map.entry("session_takeovered", "session.takenover"),
            Map.entry("session_terminated", "session.terminated"), Map.entry("message_publish", "message.publish"),
            Map.entry("message_delivered", "message.delivered"), Map.entry("message_acked", "message.acked"),
            Map.entry("message_dropped", "message.dropped"));

    private final DefaultCommunicationHandler handler;
    private final Map<String, List<String>> hooks;
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * Calls the handler's {@code init()} and reads the hooks it registers.
     *
     * @throws IllegalArgumentException when {@code init()} failed or returned hooks Mast does not know
     */
    public HandlerProvider(DefaultCommunicationHandler handler) {
        this.handler = handler;
        this.hooks = hooks(handler.getClass().getName(), handler.init());
    }

    /** The hooks the handler registers, by Mast's names ({@code client.connect} ...), with their topic filters. */
    public Map<String, List<String>> hooks() {
        return hooks;
    }

    private static Map<String, List<String>> hooks(String handler, Object init) {
        Initializer.Bootstrap bootstrap = null;
        if (init instanceof Initializer i) {
            bootstrap = i.getBootstrap();
        } else if (init instanceof Initializer.Bootstrap b) {
            bootstrap = b;
        } else if (init instanceof List<?> l && l.size() == 2 && l.get(1) instanceof Initializer.Bootstrap b) {
            if (!Integer.valueOf(0).equals(l.get(0))) {
                throw new IllegalArgumentException(handler + ".init() failed with result code " + l.get(0));
            }
            bootstrap = b;
        }
        if (bootstrap == null) {
            throw new IllegalArgumentException(handler + ".init() returned " + init
                    + "; expected what DefaultCommunicationHandler.init() returns");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (HookSpec spec : bootstrap.getHookSpecs()) {
            String name = HOOK_NAMES.get(spec.getHook());
            if (name == null) {
                throw new IllegalArgumentException(handler + ".init() registers the unknown hook " + spec.getHook());
            }
            List<String> topics = List.of();
            if (name.startsWith("message.")) {
                topics = spec.getActionOptions().stream().filter(o -> o.getKey().equals("topics"))
                        .map(ActionOption::getValues).findFirst().orElse(List.of());
            }
            out.put(name, topics);
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    protected Map<String, List<String>> registeredHooks(Map<String, List<String>> overridden) {
        return hooks;
    }

    private <T> T call(Supplier<T> hook) {
        lock.lock();
        try {
            return hook.get();
        } finally {
            lock.unlock();
        }
    }

    private void run(Runnable hook) {
        call(() -> {
            hook.run();
            return null;
        });
    }

    // ---- Clients ----

    @Override
    public void onClientConnect(ConnInfo conn, Properties props) {
        run(() -> handler.onClientConnect(Convert.connInfo(conn), Convert.properties(props)));
    }

    @Override
    public void onClientConnack(ConnInfo conn, String resultCode, Properties props) {
        run(() -> handler.onClientConnack(Convert.connInfo(conn), new ReturnCode(resultCode),
                Convert.properties(props)));
    }

    @Override
    public void onClientConnected(ClientInfo client) {
        run(() -> handler.onClientConnected(Convert.clientInfo(client)));
    }

    @Override
    public void onClientDisconnected(ClientInfo client, String reason) {
        run(() -> handler.onClientDisconnected(Convert.clientInfo(client), new Reason(Convert.text(reason))));
    }

    @Override
    public Answer<Boolean> answerClientAuthenticate(ClientInfo client, boolean resultSoFar) {
        return Answer.stop(call(() -> handler.onClientAuthenticate(Convert.clientInfo(client), resultSoFar)));
    }

    @Override
    public Answer<Boolean> answerClientAuthorize(ClientInfo client, AuthorizeAction action, String topic,
            boolean resultSoFar) {
        PubSub pubsub = new PubSub(action == AuthorizeAction.PUBLISH ? "publish" : "subscribe");
        return Answer.stop(call(() -> handler.onClientCheckAcl(Convert.clientInfo(client), pubsub,
                new Topic(Convert.text(topic)), resultSoFar)));
    }

    @Override
    public void onClientSubscribe(ClientInfo client, List<TopicFilter> filters, Properties props) {
        run(() -> handler.onClientSubscribe(Convert.clientInfo(client), Convert.properties(props),
                Convert.topicFilters(filters)));
    }

    @Override
    public void onClientUnsubscribe(ClientInfo client, List<TopicFilter> filters, Properties props) {
        run(() -> handler.onClientUnsubscribe(Convert.clientInfo(client), Convert.properties(props),
                Convert.topicFilters(filters)));
    }

    // ---- Sessions ----

    @Override
    public void onSessionCreated(ClientInfo client) {
        run(() -> handler.onSessionCreated(Convert.clientInfo(client)));
    }

    @Override
    public void onSessionSubscribed(ClientInfo client, String topic, SubOpts options) {
        run(() -> handler.onSessionSubscribed(Convert.clientInfo(client), new Topic(Convert.text(topic)),
                Convert.subscribeOption(options)));
    }

    @Override
    public void onSessionUnsubscribed(ClientInfo client, String topic) {
        run(() -> handler.onSessionUnsubscribed(Convert.clientInfo(client), new Topic(Convert.text(topic))));
    }

    @Override
    public void onSessionResumed(ClientInfo client) {
        run(() -> handler.onSessionResumed(Convert.clientInfo(client)));
    }

    @Override
    public void onSessionDiscarded(ClientInfo client) {
        run(() -> handler.onSessionDiscarded(Convert.clientInfo(client)));
    }

    @Override
    public void onSessionTakenover(ClientInfo client) {
        run(() -> handler.onSessionTakeovered(Convert.clientInfo(client)));
    }

    @Override
    public void onSessionTerminated(ClientInfo client, String reason) {
        run(() -> handler.onSessionTerminated(Convert.clientInfo(client), new Reason(Convert.text(reason))));
    }

    // ---- Messages ----

    @Override
    public Answer<Message> answerMessagePublish(Message message) {
        io.emqx.extension.handler.codec.Message out = call(() -> handler.onMessagePublish(Convert.message(message)));
        return Answer.stop(out == null ? null : Convert.published(out, message));
    }

    @Override
    public void onMessageDelivered(ClientInfo client, Message message) {
        run(() -> handler.onMessageDelivered(Convert.clientInfo(client), Convert.message(message)));
    }

    @Override
    public void onMessageAcked(ClientInfo client, Message message) {
        run(() -> handler.onMessageAcked(Convert.clientInfo(client), Convert.message(message)));
    }

    @Override
    public void onMessageDropped(Message message, String reason) {
        run(() -> handler.onMessageDropped(Convert.message(message), new Reason(Convert.text(reason))));
    }
}
