package io.mast.broker.connection;

/**
 * The QoS 1 and 2 messages a client has sent and the broker has not yet acknowledged, against
 * {@code limits.receive_maximum}. An MQTT 5.0 client was told the Receive Maximum and is disconnected (0x93) when it
 * sends more; MQTT 3.1.1 has no way to tell it, so such a client is slowed down by TCP instead: the broker stops
 * reading from it until its messages are acknowledged. Used on the connection's event loop only.
 */
final class InboundQuota {

    private final int receiveMaximum;
    private final ReadGate readGate;
    private int unacknowledged;

    InboundQuota(int receiveMaximum, ReadGate readGate) {
        this.receiveMaximum = receiveMaximum;
        this.readGate = readGate;
    }

    /** A QoS 1 or 2 PUBLISH arrived: false when an MQTT 5.0 client ({@code v5}) went beyond its Receive Maximum. */
    boolean arrived(boolean v5) {
        if (++unacknowledged < receiveMaximum) {
            return true;
        }
        if (v5) {
            return unacknowledged <= receiveMaximum;
        }
        readGate.hold(ReadGate.Reason.INFLIGHT);
        return true;
    }

    /** A QoS 1 or 2 message from the client was acknowledged (PUBACK, PUBCOMP, or PUBREC with an error). */
    void acknowledged() {
        if (unacknowledged > 0) {
            unacknowledged--;
        }
        if (unacknowledged < receiveMaximum) {
            readGate.release(ReadGate.Reason.INFLIGHT);
        }
    }
}
