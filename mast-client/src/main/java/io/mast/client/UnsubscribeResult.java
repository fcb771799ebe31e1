package io.mast.client;

import io.mast.codec.MqttProperties;
import io.mast.codec.ReasonCode;
import java.util.List;

/**
 * The broker's UNSUBACK.
 *
 * @param reasonCodes one per topic filter, in order; on MQTT 3.1.1, which has none, {@link ReasonCode#SUCCESS} for
 *                    each
 * @param properties  MQTT 5.0 properties (reason string, user properties)
 */
public record UnsubscribeResult(List<ReasonCode> reasonCodes, MqttProperties properties) {

    public UnsubscribeResult {
        reasonCodes = List.copyOf(reasonCodes);
    }

    /** True when no filter failed ({@link ReasonCode#NO_SUBSCRIPTION_EXISTED} is not a failure). */
    public boolean isSuccess() {
        return reasonCodes.stream().noneMatch(ReasonCode::isError);
    }
}
