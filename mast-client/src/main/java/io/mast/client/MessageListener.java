package io.mast.client;

/**
 * Receives messages. Called in order, on the client's I/O thread unless the builder set a callback executor: do not
 * block there. A QoS 1 or 2 message is acknowledged after the listener returns; an exception it throws is logged
 * and does not stop the acknowledgement.
 */
@FunctionalInterface
public interface MessageListener {

    void onMessage(MqttMessage message);
}
