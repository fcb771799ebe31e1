package io.mast.codec.decoder;

/**
 * The part of the topic rules that makes a packet malformed, checked while decoding: a wildcard in a topic name
 * (PUBLISH, will, response topic: MQTT-3.3.2-2) and No Local on a shared subscription (MQTT-3.8.3-4). The topic rules
 * themselves (filters, shared subscriptions, matching) are the plugin API's {@code io.mast.plugin.TopicFilters},
 * which the broker and the client use; the codec stays free of the plugin API, so it keeps these two checks.
 */
final class WireTopics {

    private WireTopics() {
    }

    /** True when a topic name contains a wildcard character. */
    static boolean hasWildcard(String topic) {
        return topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0;
    }

    /** True for a topic name a PUBLISH or a will may carry when it is not empty-with-an-alias: not empty, no wildcard. */
    static boolean isTopicName(String topic) {
        return !topic.isEmpty() && !hasWildcard(topic);
    }

    /** True for a shared subscription's filter ({@code $share/...}), valid or not. */
    static boolean isShared(String filter) {
        return filter.startsWith("$share/");
    }
}
