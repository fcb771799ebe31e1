package io.mast.client;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.ReasonCode;

/** The broker refused the connection with a CONNACK error, for example {@link ReasonCode#NOT_AUTHORIZED}. */
public final class ConnectionRefusedException extends MqttClientException {

    private final MqttProperties properties;
    private final MqttVersion version;

    public ConnectionRefusedException(ReasonCode reasonCode, MqttProperties properties, MqttVersion version) {
        super("connection refused: " + describe(reasonCode, version)
                + (properties.reasonString() == null ? "" : " (" + properties.reasonString() + ")"), reasonCode, null);
        this.properties = properties;
        this.version = version;
    }

    /** The CONNACK's MQTT 5.0 properties (reason string, server reference ...). */
    public MqttProperties properties() {
        return properties;
    }

    /** The version the client spoke: it tells whether {@link #returnCode()} is a 3.1.1 return code. */
    public MqttVersion version() {
        return version;
    }

    /** The byte the broker sent: the 3.1.1 return code (1 to 5), or the 5.0 reason code. */
    public int returnCode() {
        return version.isV5() ? reasonCode().value() : reasonCode().v3ConnAckCode();
    }

    private static String describe(ReasonCode rc, MqttVersion v) {
        return v.isV5() ? rc.describe() : "return code " + rc.v3ConnAckCode() + " (" + rc.describe().substring(5) + ")";
    }
}
