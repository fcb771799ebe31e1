package io.mast.client;

import io.mast.codec.MqttProperties;
import io.mast.codec.ReasonCode;
import java.util.List;

/**
 * The broker's SUBACK.
 *
 * @param reasonCodes one per topic filter, in order: the granted QoS ({@link ReasonCode#GRANTED_QOS_0} ..
 *                    {@link ReasonCode#GRANTED_QOS_2}) or a failure
 * @param properties  MQTT 5.0 properties (reason string, user properties)
 */
public record SubscribeResult(List<ReasonCode> reasonCodes, MqttProperties properties) {

    public SubscribeResult {
        reasonCodes = List.copyOf(reasonCodes);
    }

    /** True when every filter was granted. */
    public boolean isSuccess() {
        return reasonCodes.stream().noneMatch(ReasonCode::isError);
    }
}
