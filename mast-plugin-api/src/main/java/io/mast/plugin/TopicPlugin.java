package io.mast.plugin;

import java.util.EnumSet;
import java.util.Set;

/**
 * Decides whether a client may publish to a topic, subscribe to a filter, or receive a message on a topic (checked per
 * subscriber when the message is delivered). Implemented by a {@link BrokerPlugin}. Like {@link AuthPlugin}, the
 * method may block unless the class is {@link NonBlocking}.
 *
 * <p>A denied SUBSCRIBE gets 0x87 in SUBACK (0x80 on 3.1.1); a denied PUBLISH gets 0x87 in PUBACK/PUBREC on 5.0 and is
 * acknowledged and dropped on 3.1.1; a denied RECEIVE is not delivered to that subscriber.
 */
public interface TopicPlugin {

    /**
     * @param client the client (for RECEIVE, the subscriber)
     * @param action what it wants to do
     * @param topic  the topic name (PUBLISH, RECEIVE) or topic filter (SUBSCRIBE)
     */
    Decision authorize(ClientInfo client, TopicAction action, String topic) throws Exception;

    /**
     * The actions this plugin decides; it is not asked about the others. Leaving RECEIVE out saves a check per
     * delivered message.
     */
    default Set<TopicAction> actions() {
        return EnumSet.allOf(TopicAction.class);
    }
}
