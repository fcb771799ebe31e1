package io.mast.exhook.sdk;

import io.mast.plugin.TopicFilters;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base class of a hook server: override only the hooks you want, then serve it with
 * {@link HookServer#serve(HookProvider, int)}. The hooks you override, and only those, are registered with the broker
 * when it loads the server; a message hook annotated with {@link Topics} is registered for those topic filters only.
 * <pre>{@code
 * public final class Hooks extends HookProvider {
 *     @Override public boolean onClientAuthenticate(ClientInfo client, boolean resultSoFar) {
 *         return !client.clientId().isEmpty();          // allow only clients with an identifier
 *     }
 *
 *     @Override public void onClientConnected(ClientInfo client) {
 *         System.out.println(client.clientId() + " is online");
 *     }
 * }
 * }</pre>
 *
 * <h2>Decisions</h2>
 * {@link #onClientAuthenticate}, {@link #onClientAuthorize} and {@link #onMessagePublish} return their decision and
 * let the next hook server (if any) decide on top of it. To leave a request to the next server, or to make the
 * decision final, override the {@code answer...} form instead ({@link #answerClientAuthenticate},
 * {@link #answerClientAuthorize}, {@link #answerMessagePublish}) and return an {@link Answer}. Override one form of
 * a hook, not both.
 *
 * <h2>Threads</h2>
 * Hooks run on virtual threads, so they may block (on a database, a file, a remote call). Calls about one client run
 * one at a time, in the order the broker sent them (a client's {@code client.connected} before its
 * {@code client.disconnected}); calls about different clients run concurrently, so a provider's shared state must
 * be thread-safe. A hook that throws answers the call with an error, which the broker treats per the server's
 * {@code failed_action}.
 */
public abstract class HookProvider {

    /** For subclasses. */
    protected HookProvider() {
    }

    /**
     * The request being handled by the calling thread, for the rare hook that needs more than its parameters (the
     * request's {@link RequestMeta}, or MQTT 5.0 properties of a publish); null outside a hook.
     */
    public static HookCall currentCall() {
        return Dispatcher.CURRENT.get();
    }

    /**
     * Chooses, when the provider is served, which of the hooks it overrides are registered with the broker, and for
     * which topics. By default all of them, with their {@link Topics}. An adapter that overrides every hook and
     * learns only at run time which ones it needs (as the EMQX 4.x handler driver of {@code mast-exhook-sdk-emqx4}
     * does) returns fewer here; the broker then calls only those.
     *
     * @param overridden the hooks this provider's class overrides, by protocol name ({@code client.connect} ...), each
     *                   with its topic filters (empty: every topic), in the protocol's order
     * @return the hooks to register: names among {@code overridden}'s, each with its topic filters (empty: every
     *         topic; filters only for {@code message.*} hooks)
     */
    protected Map<String, List<String>> registeredHooks(Map<String, List<String>> overridden) {
        return overridden;
    }

    /** {@link #registeredHooks}, checked, in the protocol's order. */
    final Map<String, List<String>> hooksToRegister(Map<String, List<String>> overridden) {
        Map<String, List<String>> chosen = registeredHooks(overridden);
        if (chosen == overridden) {
            return overridden;
        }
        for (String name : chosen.keySet()) {
            if (!overridden.containsKey(name)) {
                throw new IllegalArgumentException(getClass().getName() + ".registeredHooks: " + name
                        + " is not a hook it overrides (" + String.join(", ", overridden.keySet()) + ")");
            }
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (String name : overridden.keySet()) {
            List<String> topics = chosen.get(name);
            if (topics == null) {
                continue;
            }
            for (String f : topics) {
                if (!name.startsWith("message.") || !TopicFilters.isTopicFilter(f)) {
                    throw new IllegalArgumentException(getClass().getName() + ".registeredHooks: " + name
                            + (name.startsWith("message.") ? ": '" + f + "' is not a topic filter"
                            : ": topic filters apply to message hooks only"));
                }
            }
            result.put(name, List.copyOf(topics));
        }
        return Collections.unmodifiableMap(result);
    }

    // ---- Lifecycle (not hooks: always called) ----

    /** The broker loaded this server (it connected, or reconnected). Called before the hooks are registered. */
    public void onProviderLoaded(BrokerInfo broker) {
    }

    /** The broker unloaded this server (it stops, or the server was disabled). */
    public void onProviderUnloaded() {
    }

    // ---- Client hooks ----

    /** {@code client.connect}: a client sent CONNECT; it is not yet authenticated. */
    public void onClientConnect(ConnInfo conn, Properties props) {
    }

    /**
     * {@code client.connack}: the broker answers a CONNECT.
     *
     * @param resultCode the outcome in words: {@code success}, {@code not_authorized},
     *                   {@code bad_username_or_password}, ...
     */
    public void onClientConnack(ConnInfo conn, String resultCode, Properties props) {
    }

    /** {@code client.connected}: a client is connected and authenticated. */
    public void onClientConnected(ClientInfo client) {
    }

    /**
     * {@code client.disconnected}: a client's connection closed.
     *
     * @param reason why, e.g. {@code normal}, {@code takenover}, {@code keepalive_timeout}
     */
    public void onClientDisconnected(ClientInfo client, String reason) {
    }

    /**
     * {@code client.authenticate}: decides whether a client may connect.
     *
     * @param resultSoFar the decision so far (the broker's own authentication, then earlier hook servers)
     * @return true to allow it, false to refuse it; the next hook server may still change it
     */
    public boolean onClientAuthenticate(ClientInfo client, boolean resultSoFar) {
        return resultSoFar;
    }

    /**
     * {@code client.authenticate} with the full answer: override this instead of
     * {@link #onClientAuthenticate} to ignore a client or to make the decision final.
     */
    public Answer<Boolean> answerClientAuthenticate(ClientInfo client, boolean resultSoFar) {
        return Answer.proceed(onClientAuthenticate(client, resultSoFar));
    }

    /**
     * {@code client.authorize}: decides whether a client may publish to a topic or subscribe to a filter.
     *
     * @param topic       the topic, or the topic filter (without a {@code $share/<group>/} prefix)
     * @param resultSoFar the decision so far
     * @return true to allow it, false to deny it; the next hook server may still change it
     */
    public boolean onClientAuthorize(ClientInfo client, AuthorizeAction action, String topic, boolean resultSoFar) {
        return resultSoFar;
    }

    /**
     * {@code client.authorize} with the full answer: override this instead of {@link #onClientAuthorize} to ignore
     * a request or to make the decision final.
     */
    public Answer<Boolean> answerClientAuthorize(ClientInfo client, AuthorizeAction action, String topic,
            boolean resultSoFar) {
        return Answer.proceed(onClientAuthorize(client, action, topic, resultSoFar));
    }

    /** {@code client.subscribe}: a client sent SUBSCRIBE (before authorization). */
    public void onClientSubscribe(ClientInfo client, List<TopicFilter> filters, Properties props) {
    }

    /** {@code client.unsubscribe}: a client sent UNSUBSCRIBE. */
    public void onClientUnsubscribe(ClientInfo client, List<TopicFilter> filters, Properties props) {
    }

    // ---- Session hooks ----

    /** {@code session.created}: a new session was created for a client. */
    public void onSessionCreated(ClientInfo client) {
    }

    /** {@code session.subscribed}: a subscription was added to a client's session. */
    public void onSessionSubscribed(ClientInfo client, String topic, SubOpts options) {
    }

    /** {@code session.unsubscribed}: a subscription was removed from a client's session. */
    public void onSessionUnsubscribed(ClientInfo client, String topic) {
    }

    /** {@code session.resumed}: a client reconnected to its existing session. */
    public void onSessionResumed(ClientInfo client) {
    }

    /** {@code session.discarded}: a client's old session was discarded (clean start). */
    public void onSessionDiscarded(ClientInfo client) {
    }

    /** {@code session.takenover}: a client's session was taken over by a new connection with the same id. */
    public void onSessionTakenover(ClientInfo client) {
    }

    /** {@code session.terminated}: a client's session ended. */
    public void onSessionTerminated(ClientInfo client, String reason) {
    }

    // ---- Message hooks (see @Topics) ----

    /**
     * {@code message.publish}: decides on a published message before it is routed. Return the message (unchanged,
     * or changed with {@link Message#withTopic}, {@link Message#withPayload(String)}, {@link Message#withQos}) to
     * publish it, or null to drop it.
     */
    public Message onMessagePublish(Message message) {
        return message;
    }

    /**
     * {@code message.publish} with the full answer: override this instead of {@link #onMessagePublish} to ignore a
     * message or to make the decision final ({@link Answer#stop}); a null value drops the message.
     */
    public Answer<Message> answerMessagePublish(Message message) {
        return Answer.proceed(onMessagePublish(message));
    }

    /** {@code message.delivered}: a message was sent to a subscriber. */
    public void onMessageDelivered(ClientInfo client, Message message) {
    }

    /** {@code message.acked}: a subscriber acknowledged a QoS 1 or 2 message. */
    public void onMessageAcked(ClientInfo client, Message message) {
    }

    /**
     * {@code message.dropped}: a message was dropped.
     *
     * @param reason why, e.g. {@code no_subscribers}
     */
    public void onMessageDropped(Message message, String reason) {
    }
}
