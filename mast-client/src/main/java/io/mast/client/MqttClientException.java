package io.mast.client;

import io.mast.codec.ReasonCode;

/**
 * A request of the client could not be carried out: not connected, the connection was lost before the answer, the
 * packet is larger than the server accepts, the queue is full ... Futures of the client fail with it (wrapped in a
 * {@link java.util.concurrent.CompletionException} where Java does so).
 */
public class MqttClientException extends RuntimeException {

    private final ReasonCode reasonCode;

    public MqttClientException(String message) {
        this(message, null, null);
    }

    public MqttClientException(String message, ReasonCode reasonCode, Throwable cause) {
        super(message, cause);
        this.reasonCode = reasonCode;
    }

    /** The MQTT reason code that describes the failure, or {@code null} when none does. */
    public ReasonCode reasonCode() {
        return reasonCode;
    }
}
