package io.mast.plugin;

import java.util.concurrent.CompletionStage;

/**
 * A part of the broker's admin API that a plugin serves: the requests to {@code /api/v1/<name>} and below, where
 * {@code <name>} is the name it was registered under with {@link BrokerContext#adminResource(String, AdminResource)}.
 * The admin API is HTTP with JSON bodies, off unless the broker's config has an {@code admin:} section; the
 * {@code mast ctl} command is its client.
 *
 * <p>{@link #handle} is called on a virtual thread of its own, so it may block; the broker answers when the returned
 * stage completes. An exception, thrown or completing the stage, is answered 500 with its message and logged under the
 * plugin's name.
 */
@FunctionalInterface
public interface AdminResource {

    /** Answers one request. */
    CompletionStage<AdminResponse> handle(AdminRequest request);
}
