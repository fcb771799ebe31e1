package io.mast.client;

/**
 * The client's config (its YAML file or a plugin declared in code) is wrong. The message is one line naming where
 * (file and line, when from a file), the key, and what is expected:
 * {@code client.yaml:4: plugins.io.mast.client.plugins.PacketLoggerPlugin.level: expected one of trace, debug, info, warn, error, got "loud"}.
 */
public final class ClientConfigException extends RuntimeException {

    public ClientConfigException(String message) {
        super(message, null, false, false);
    }
}
