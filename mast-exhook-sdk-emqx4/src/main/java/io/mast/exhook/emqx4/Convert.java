package io.mast.exhook.emqx4;

import io.emqx.extension.handler.codec.ClientInfo;
import io.emqx.extension.handler.codec.ConnInfo;
import io.emqx.extension.handler.codec.Message;
import io.emqx.extension.handler.codec.Property;
import io.emqx.extension.handler.codec.SubscribeOption;
import io.emqx.extension.handler.codec.TopicFilter;
import io.mast.exhook.sdk.Properties;
import io.mast.exhook.sdk.SubOpts;
import java.util.ArrayList;
import java.util.List;

/**
 * Mast's hook arguments as EMQX 4.x's Java SDK gave them: texts that are empty become null (its decoder turned empty
 * binaries into null), flags of subscription options 0 or 1.
 */
final class Convert {

    private Convert() {
    }

    static String text(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static ClientInfo clientInfo(io.mast.exhook.sdk.ClientInfo c) {
        return new ClientInfo(c.node(), text(c.clientId()), text(c.username()), text(c.password()),
                text(c.peerHost()), c.sockPort(), c.protocol(), text(c.mountpoint()), c.superuser(), c.anonymous());
    }

    static ConnInfo connInfo(io.mast.exhook.sdk.ConnInfo c) {
        int version;
        try {
            version = Integer.parseInt(c.protoVer());
        } catch (NumberFormatException e) {
            version = 0;
        }
        return new ConnInfo(c.node(), text(c.clientId()), text(c.username()), text(c.peerHost()), c.sockPort(),
                c.protoName(), version, c.keepalive());
    }

    static Property[] properties(Properties props) {
        List<Property> out = new ArrayList<>();
        props.standard().forEach(p -> out.add(new Property(p.name(), p.value())));
        props.user().forEach(p -> out.add(new Property(p.name(), p.value())));
        return out.toArray(Property[]::new);
    }

    static TopicFilter[] topicFilters(List<io.mast.exhook.sdk.TopicFilter> filters) {
        return filters.stream().map(f -> new TopicFilter(f.name(), f.options().qos())).toArray(TopicFilter[]::new);
    }

    static SubscribeOption subscribeOption(SubOpts o) {
        return new SubscribeOption(true, o.noLocal() ? 1 : 0, o.qos(), o.retainAsPublished() ? 1 : 0,
                o.retainHandling());
    }

    static Message message(io.mast.exhook.sdk.Message m) {
        return new Message(m.node(), text(m.id()), m.qos(), text(m.from()), text(m.topic()), m.payload().clone(),
                m.timestamp());
    }

    /** The message to publish: {@code original} with the topic, QoS and payload of what the handler returned. */
    static io.mast.exhook.sdk.Message published(Message returned, io.mast.exhook.sdk.Message original) {
        io.mast.exhook.sdk.Message m = original.withQos(returned.qos);
        if (returned.topic != null) {
            m = m.withTopic(returned.topic);
        }
        return returned.payload == null ? m : m.withPayload(returned.payload.clone());
    }
}
