package io.mast.plugin;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** {@link TopicPlugin} answering asynchronously: called on a network thread, it must return at once. */
public interface AsyncTopicPlugin {

    CompletionStage<Decision> authorize(ClientInfo client, TopicAction action, String topic);

    /** The actions this plugin decides. */
    default Set<TopicAction> actions() {
        return EnumSet.allOf(TopicAction.class);
    }
}
