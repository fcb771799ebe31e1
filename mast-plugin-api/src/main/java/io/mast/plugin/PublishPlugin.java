package io.mast.plugin;

/**
 * Sees every message after topic authorization and before routing, and may change it (topic, payload, QoS, retain,
 * properties), drop it, or deny it. Plugins run in config order, each seeing the previous one's result. Implemented by
 * a {@link BrokerPlugin}; may block unless the class is {@link NonBlocking}.
 */
public interface PublishPlugin {

    /**
     * @param publisher the publishing client, or {@code null} for a message published by the broker (a will is
     *                  published on behalf of its client and carries it)
     * @param message   the message as received or as changed by the plugins before this one
     */
    PublishDecision onPublish(ClientInfo publisher, Message message) throws Exception;
}
