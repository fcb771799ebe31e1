package io.mast.integration;

import io.mast.plugin.Message;
import io.mast.plugin.UserProperty;
import java.util.Map;
import java.util.function.Function;

/**
 * The placeholders of message templates, as in EMQX's rules where they exist:
 *
 * <table>
 * <caption>placeholders</caption>
 * <tr><td>{@code ${topic}}</td><td>the topic</td></tr>
 * <tr><td>{@code ${topic_level.N}}</td><td>the topic's N-th level, from 1 (empty past the last)</td></tr>
 * <tr><td>{@code ${clientid}}, {@code ${username}}, {@code ${peerhost}}</td><td>the publisher's</td></tr>
 * <tr><td>{@code ${node}}</td><td>the broker's name</td></tr>
 * <tr><td>{@code ${qos}}, {@code ${retain}}</td><td>0, 1, 2; true, false</td></tr>
 * <tr><td>{@code ${timestamp}}</td><td>when the broker received it, milliseconds since 1970</td></tr>
 * <tr><td>{@code ${id}}</td><td>the message's identifier</td></tr>
 * <tr><td>{@code ${payload}}</td><td>the payload as UTF-8 text</td></tr>
 * <tr><td>{@code ${content_type}}, {@code ${response_topic}}</td><td>MQTT 5.0 properties</td></tr>
 * <tr><td>{@code ${user_property.NAME}}</td><td>the (first) user property NAME</td></tr>
 * </table>
 */
public final class MessageVariables implements Template.Variables<Published> {

    /** The one instance. */
    public static final MessageVariables INSTANCE = new MessageVariables();

    private static final Map<String, Function<Published, String>> FIXED = Map.ofEntries(
            Map.entry("topic", p -> p.message().topic()),
            Map.entry("clientid", Published::clientId),
            Map.entry("username", Published::username),
            Map.entry("peerhost", Published::peerHost),
            Map.entry("node", Published::node),
            Map.entry("qos", p -> Integer.toString(p.message().qos())),
            Map.entry("retain", p -> Boolean.toString(p.message().retain())),
            Map.entry("timestamp", p -> Long.toString(p.message().timestamp())),
            Map.entry("id", p -> p.message().id()),
            Map.entry("payload", p -> p.message().payloadAsString()),
            Map.entry("content_type", p -> p.message().contentType()),
            Map.entry("response_topic", p -> p.message().responseTopic()));

    private MessageVariables() {
    }

    /** Compiles a message template. */
    public static Template<Published> template(String text) {
        return Template.compile(text, INSTANCE);
    }

    @Override
    public Function<Published, String> resolver(String name) {
        Function<Published, String> fixed = FIXED.get(name);
        if (fixed != null) {
            return fixed;
        }
        if (name.startsWith("topic_level.")) {
            int level;
            try {
                level = Integer.parseInt(name.substring("topic_level.".length()));
            } catch (NumberFormatException e) {
                return null;
            }
            return level < 1 ? null : p -> topicLevel(p.message().topic(), level);
        }
        if (name.startsWith("user_property.") && name.length() > "user_property.".length()) {
            String key = name.substring("user_property.".length());
            return p -> userProperty(p.message(), key);
        }
        return null;
    }

    @Override
    public String describe() {
        return "topic, topic_level.N, clientid, username, peerhost, node, qos, retain, timestamp, id, payload, "
                + "content_type, response_topic, user_property.NAME";
    }

    /** The {@code level}-th level of {@code topic} (from 1), or the empty string. */
    static String topicLevel(String topic, int level) {
        int start = 0;
        for (int i = 1; i < level; i++) {
            int slash = topic.indexOf('/', start);
            if (slash < 0) {
                return "";
            }
            start = slash + 1;
        }
        int end = topic.indexOf('/', start);
        return end < 0 ? topic.substring(start) : topic.substring(start, end);
    }

    private static String userProperty(Message message, String key) {
        for (UserProperty p : message.userProperties()) {
            if (p.name().equals(key)) {
                return p.value();
            }
        }
        return null;
    }
}
