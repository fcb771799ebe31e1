package io.mast.plugin;

/** What a client wants to do with a topic, as a {@link TopicPlugin} is asked. */
public enum TopicAction {
    /** Publish a message to the topic. */
    PUBLISH,
    /** Subscribe to the topic filter. */
    SUBSCRIBE,
    /** Receive a message on the topic, checked per subscriber when the message is delivered. */
    RECEIVE
}
