package io.emqx.extension.handler;

import io.emqx.extension.handler.codec.ActionOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The topic filters of the message hooks, returned by {@link DefaultCommunicationHandler#getActionOption()}: for each
 * {@link Keys key}, MQTT topic filters separated by commas ({@code "sensors/#,alarms/+"}). A key left unset, or
 * empty, means every topic.
 */
public final class ActionOptionConfig {

    private static final String EMPTY_VALUE = "";

    /** The keys: one per message hook. */
    public static final class Keys {
        public static final String MESSAGE_PUBLISH_TOPICS = "MESSAGE_PUBLISH_TOPICS";
        public static final String MESSAGE_DELIVERED_TOPICS = "MESSAGE_DELIVERED_TOPICS";
        /** In EMQX's SDK this key was the same as MESSAGE_DELIVERED_TOPICS; here each hook has its own. */
        public static final String MESSAGE_ACKED_TOPICS = "MESSAGE_ACKED_TOPICS";
        /** In EMQX's SDK this key was the same as MESSAGE_DELIVERED_TOPICS; here each hook has its own. */
        public static final String MESSAGE_DROPPED_TOPICS = "MESSAGE_DROPPED_TOPICS";

        private Keys() {
        }
    }

    private final Properties properties = new Properties();

    /** Every message hook for every topic ({@code #}). */
    public static ActionOptionConfig getDefault() {
        ActionOptionConfig option = new ActionOptionConfig();
        option.set(Keys.MESSAGE_PUBLISH_TOPICS, "#");
        option.set(Keys.MESSAGE_DELIVERED_TOPICS, "#");
        option.set(Keys.MESSAGE_ACKED_TOPICS, "#");
        option.set(Keys.MESSAGE_DROPPED_TOPICS, "#");
        return option;
    }

    /** Sets a key's value (topic filters separated by commas); returns this. */
    public ActionOptionConfig set(String key, String value) {
        if (key == null) {
            throw new NullPointerException("key must not be null");
        }
        properties.put(key, value);
        return this;
    }

    /** The option {@code key} (e.g. {@code topics}) with the values of {@code actionKey}, split at commas. */
    public ActionOption buildOption(String key, String actionKey) {
        List<String> options = new ArrayList<>();
        String optionValue = properties.getProperty(actionKey, EMPTY_VALUE);
        for (String value : optionValue.split(",")) {
            if (!value.trim().isEmpty()) {
                options.add(value.trim());
            }
        }
        return new ActionOption(key, options);
    }
}
