package io.mast.broker.config;

/**
 * A configuration that cannot be used. Its message is one line naming the file (and line, when known), the key
 * and what is expected: {@code mast.yaml:12: limits.max_packet_size: expected an integer from 16 to 268435460, got 0}.
 */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
