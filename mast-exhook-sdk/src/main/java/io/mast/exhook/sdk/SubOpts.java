package io.mast.exhook.sdk;

/**
 * The options of a subscription.
 *
 * @param qos               the maximum QoS, 0 to 2
 * @param retainHandling    MQTT 5.0 Retain Handling, 0 to 2
 * @param retainAsPublished MQTT 5.0 Retain As Published
 * @param noLocal           MQTT 5.0 No Local
 */
public record SubOpts(int qos, int retainHandling, boolean retainAsPublished, boolean noLocal) {
}
