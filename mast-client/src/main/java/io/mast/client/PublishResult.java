package io.mast.client;

import io.mast.codec.MqttProperties;
import io.mast.codec.ReasonCode;

/**
 * The outcome of a publish: for QoS 1 the PUBACK, for QoS 2 the PUBREC and PUBCOMP, for QoS 0 the fact it was
 * written to the connection. A refusal by the broker (a reason code of 0x80 or more) is a result too, not an
 * exception: check {@link #isSuccess()}.
 *
 * @param reasonCode the broker's answer: {@link ReasonCode#SUCCESS}, {@link ReasonCode#NO_MATCHING_SUBSCRIBERS},
 *                   or an error such as {@link ReasonCode#NOT_AUTHORIZED}; always SUCCESS on MQTT 3.1.1
 * @param properties the acknowledgement's MQTT 5.0 properties (reason string, user properties)
 */
public record PublishResult(ReasonCode reasonCode, MqttProperties properties) {

    /** The result of a QoS 0 publish, or of an acknowledgement without reason code and properties. */
    public static final PublishResult SUCCESS = new PublishResult(ReasonCode.SUCCESS, MqttProperties.EMPTY);

    /** True unless the broker refused the message. */
    public boolean isSuccess() {
        return !reasonCode.isError();
    }
}
