package io.mast.plugin;

import java.util.concurrent.CompletionStage;

/** {@link PublishPlugin} answering asynchronously: called on a network thread, it must return at once. */
public interface AsyncPublishPlugin {

    CompletionStage<PublishDecision> onPublish(ClientInfo publisher, Message message);
}
