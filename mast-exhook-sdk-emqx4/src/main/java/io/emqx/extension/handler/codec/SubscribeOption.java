package io.emqx.extension.handler.codec;

/**
 * The options of a subscription (MQTT 5.0 section 3.8.3.1) in {@code onSessionSubscribed}. Mast's protocol does not
 * say whether a subscription replaced another: {@code isNew} is always true.
 */
public class SubscribeOption implements HandlerParameter {

    /** Whether the subscription is new. */
    public final boolean isNew;
    /** The QoS, 0 to 2. */
    public final int qos;
    /** No Local, 0 or 1. */
    public final int nl;
    /** Retain As Published, 0 or 1. */
    public final int rap;
    /** Retain Handling, 0 to 2. */
    public final int rh;

    public SubscribeOption(boolean isNew, int nl, int qos, int rap, int rh) {
        this.isNew = isNew;
        this.nl = nl;
        this.qos = qos;
        this.rap = rap;
        this.rh = rh;
    }

    @Override
    public String toString() {
        return "SubscribeOption (isNew=" + isNew + ", nl=" + nl + ", qos=" + qos + ", rap=" + rap + ", rh=" + rh + ")";
    }
}
