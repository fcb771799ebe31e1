package io.mast.broker.connection;

import io.mast.codec.MqttProperties;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.UnsubAck;
import io.mast.codec.packet.Unsubscribe;
import io.mast.plugin.TopicFilters;
import java.util.ArrayList;
import java.util.List;

/** UNSUBSCRIBE: removes each filter; MQTT 5.0 clients learn which existed. */
final class UnsubscribeHandler {

    void handle(Connection c, Unsubscribe u) {
        List<ReasonCode> codes = new ArrayList<>(u.topicFilters().size());
        for (String filter : u.topicFilters()) {
            if (!TopicFilters.isTopicFilter(filter)) {
                codes.add(ReasonCode.TOPIC_FILTER_INVALID);
            } else {
                boolean existed = c.session().unsubscribe(filter);
                if (existed) {
                    c.core().events().unsubscribed(c.info(), filter);
                }
                codes.add(existed ? ReasonCode.SUCCESS : ReasonCode.NO_SUBSCRIPTION_EXISTED);
            }
        }
        c.send(new UnsubAck(u.packetId(), c.version().isV5() ? codes : List.of(), MqttProperties.EMPTY));
    }
}
