package io.emqx.extension.handler;

import io.emqx.extension.handler.codec.ClientInfo;
import io.emqx.extension.handler.codec.ConnInfo;
import io.emqx.extension.handler.codec.HookSpec;
import io.emqx.extension.handler.codec.Initializer;
import io.emqx.extension.handler.codec.Message;
import io.emqx.extension.handler.codec.Property;
import io.emqx.extension.handler.codec.PubSub;
import io.emqx.extension.handler.codec.Reason;
import io.emqx.extension.handler.codec.ResultCode;
import io.emqx.extension.handler.codec.ReturnCode;
import io.emqx.extension.handler.codec.State;
import io.emqx.extension.handler.codec.SubscribeOption;
import io.emqx.extension.handler.codec.Topic;
import io.emqx.extension.handler.codec.TopicFilter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The base class of a hook handler, as in EMQX 4.2's Java SDK: extend it, override the hooks you want, and name the
 * class in {@code exhook.drivers.java.init_module}. Only the hooks your class (or a class between it and this one)
 * declares are registered with the broker, in their {@code onClientConnect} form or their deprecated
 * {@code on_client_connect} form.
 * <pre>{@code
 * public class SampleHandler extends DefaultCommunicationHandler {
 *     @Override
 *     public boolean onClientAuthenticate(ClientInfo clientInfo, boolean authresult) {
 *         return clientInfo.clientId != null;
 *     }
 * }
 * }</pre>
 *
 * <p>Decisions: {@link #onClientAuthenticate} and {@link #onClientCheckAcl} return true to allow and false to refuse,
 * final for the decision. {@link #onMessagePublish} returns the message to publish (changed or not); on Mast, null
 * drops it. A hook that throws fails the call, which the broker treats as the driver's {@code failed_action} says.
 * Hooks are called one at a time, as by EMQX 4.x's single driver process. Text fields that are empty arrive as null.
 */
public class DefaultCommunicationHandler implements CommunicationHandler {

    /** The hooks, as EMQX 4.x names them, in its order; the message hooks with the key of their topics. */
    private static final String[][] HOOKS = {
            {"client_connect"}, {"client_connack"}, {"client_connected"}, {"client_disconnected"},
            {"client_authenticate"}, {"client_check_acl"}, {"client_subscribe"}, {"client_unsubscribe"},
            {"session_created"}, {"session_subscribed"}, {"session_unsubscribed"}, {"session_resumed"},
            {"session_discarded"}, {"session_takeovered"}, {"session_terminated"},
            {"message_publish", ActionOptionConfig.Keys.MESSAGE_PUBLISH_TOPICS},
            {"message_delivered", ActionOptionConfig.Keys.MESSAGE_DELIVERED_TOPICS},
            {"message_acked", ActionOptionConfig.Keys.MESSAGE_ACKED_TOPICS},
            {"message_dropped", ActionOptionConfig.Keys.MESSAGE_DROPPED_TOPICS},
    };

    private final Set<String> declaredMethods = new HashSet<>();

    public DefaultCommunicationHandler() {
        for (Class<?> c = getClass(); c != DefaultCommunicationHandler.class && c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                declaredMethods.add(m.getName());
            }
        }
    }

    /**
     * The hooks this class declares, with the topics of {@link #getActionOption()} for the message hooks: an
     * {@link Initializer} encoded with {@link ResultCode#SUC}. Called once, when the driver starts.
     */
    @Override
    public Object init() {
        ActionOptionConfig actionOption = getActionOption();
        String module = getClass().getName();
        List<HookSpec> actions = new ArrayList<>();
        for (String[] hook : HOOKS) {
            String function = "on" + toCamelCase(hook[0]);
            if (!declaredMethods.contains(function) && !declaredMethods.contains("on_" + hook[0])) {
                continue;
            }
            actions.add(hook.length == 1 ? new HookSpec(hook[0], module, function)
                    : new HookSpec(hook[0], module, function, actionOption.buildOption("topics", hook[1])));
        }
        return new Initializer(new Initializer.Bootstrap(actions, new State())).encode(ResultCode.SUC);
    }

    /** Called when the driver stops; does nothing unless overridden. */
    @Override
    public void deinit() {
    }

    /** The topics of the message hooks: by default every topic ({@link ActionOptionConfig#getDefault()}). */
    public ActionOptionConfig getActionOption() {
        return ActionOptionConfig.getDefault();
    }

    private static String toCamelCase(String hookName) {
        StringBuilder sb = new StringBuilder();
        for (String seg : hookName.split("_")) {
            sb.append(Character.toUpperCase(seg.charAt(0))).append(seg, 1, seg.length());
        }
        return sb.toString();
    }

    // ---- Clients ----

    /** A client sent CONNECT. */
    public void onClientConnect(ConnInfo connInfo, Property[] props) {
        on_client_connect(connInfo, props);
    }

    /** The broker answers a CONNECT with {@code rc}. */
    public void onClientConnack(ConnInfo connInfo, ReturnCode rc, Property[] props) {
        on_client_connack(connInfo, rc, props);
    }

    /** A client is connected. */
    public void onClientConnected(ClientInfo clientInfo) {
        on_client_connected(clientInfo);
    }

    /** A client's connection closed. */
    public void onClientDisconnected(ClientInfo clientInfo, Reason reason) {
        on_client_disconnected(clientInfo, reason);
    }

    /** May the client connect? {@code authresult} is the decision so far; true allows, false refuses. */
    public boolean onClientAuthenticate(ClientInfo clientInfo, boolean authresult) {
        return on_client_authenticate(clientInfo, authresult);
    }

    /** May the client publish or subscribe ({@code pubsub}) to {@code topic}? True allows, false denies. */
    public boolean onClientCheckAcl(ClientInfo clientInfo, PubSub pubsub, Topic topic, boolean result) {
        return on_client_check_acl(clientInfo, pubsub, topic, result);
    }

    /** A client subscribes. */
    public void onClientSubscribe(ClientInfo clientInfo, Property[] props, TopicFilter[] topic) {
        on_client_subscribe(clientInfo, props, topic);
    }

    /** A client unsubscribes. */
    public void onClientUnsubscribe(ClientInfo clientInfo, Property[] props, TopicFilter[] topic) {
        on_client_unsubscribe(clientInfo, props, topic);
    }

    // ---- Sessions ----

    public void onSessionCreated(ClientInfo clientInfo) {
        on_session_created(clientInfo);
    }

    public void onSessionSubscribed(ClientInfo clientInfo, Topic topic, SubscribeOption opts) {
        on_session_subscribed(clientInfo, topic, opts);
    }

    public void onSessionUnsubscribed(ClientInfo clientInfo, Topic topic) {
        on_session_unsubscribed(clientInfo, topic);
    }

    public void onSessionResumed(ClientInfo clientInfo) {
        on_session_resumed(clientInfo);
    }

    public void onSessionDiscarded(ClientInfo clientInfo) {
        on_session_discarded(clientInfo);
    }

    /** A session was taken over by a new connection with the same client identifier. */
    public void onSessionTakeovered(ClientInfo clientInfo) {
        on_session_takeovered(clientInfo);
    }

    public void onSessionTerminated(ClientInfo clientInfo, Reason reason) {
        on_session_terminated(clientInfo, reason);
    }

    // ---- Messages ----

    /** A message was published: return it (changed or not) to publish it; on Mast, null drops it. */
    public Message onMessagePublish(Message message) {
        return on_message_publish(message);
    }

    public void onMessageDropped(Message message, Reason reason) {
        on_message_dropped(message, reason);
    }

    public void onMessageDelivered(ClientInfo clientInfo, Message message) {
        on_message_delivered(clientInfo, message);
    }

    public void onMessageAcked(ClientInfo clientInfo, Message message) {
        on_message_acked(clientInfo, message);
    }

    // ---- The deprecated forms: what the forms above call unless overridden ----

    @Deprecated
    public void on_client_connect(ConnInfo connInfo, Property[] props) {
    }

    @Deprecated
    public void on_client_connack(ConnInfo connInfo, ReturnCode rc, Property[] props) {
    }

    @Deprecated
    public void on_client_connected(ClientInfo clientInfo) {
    }

    @Deprecated
    public void on_client_disconnected(ClientInfo clientInfo, Reason reason) {
    }

    @Deprecated
    public boolean on_client_authenticate(ClientInfo clientInfo, boolean authresult) {
        return true;
    }

    @Deprecated
    public boolean on_client_check_acl(ClientInfo clientInfo, PubSub pubsub, Topic topic, boolean result) {
        return true;
    }

    @Deprecated
    public void on_client_subscribe(ClientInfo clientInfo, Property[] props, TopicFilter[] topic) {
    }

    @Deprecated
    public void on_client_unsubscribe(ClientInfo clientInfo, Property[] props, TopicFilter[] topic) {
    }

    @Deprecated
    public void on_session_created(ClientInfo clientInfo) {
    }

    @Deprecated
    public void on_session_subscribed(ClientInfo clientInfo, Topic topic, SubscribeOption opts) {
    }

    @Deprecated
    public void on_session_unsubscribed(ClientInfo clientInfo, Topic topic) {
    }

    @Deprecated
    public void on_session_resumed(ClientInfo clientInfo) {
    }

    @Deprecated
    public void on_session_discarded(ClientInfo clientInfo) {
    }

    @Deprecated
    public void on_session_takeovered(ClientInfo clientInfo) {
    }

    @Deprecated
    public void on_session_terminated(ClientInfo clientInfo, Reason reason) {
    }

    @Deprecated
    public Message on_message_publish(Message message) {
        return message;
    }

    @Deprecated
    public void on_message_dropped(Message message, Reason reason) {
    }

    @Deprecated
    public void on_message_delivered(ClientInfo clientInfo, Message message) {
    }

    @Deprecated
    public void on_message_acked(ClientInfo clientInfo, Message message) {
    }
}
