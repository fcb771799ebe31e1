package io.mast.broker.connection;

import io.mast.broker.message.BrokerMessage;
import io.mast.broker.policy.Policy.PublishVerdict;
import io.mast.broker.publish.PublishService;
import io.mast.broker.publish.PublishService.Outcome;
import io.mast.broker.session.Session;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.Utf8;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.PubComp;
import io.mast.codec.packet.PubRec;
import io.mast.codec.packet.PubRel;
import io.mast.codec.packet.Publish;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * PUBLISH from a client, and PUBREL completing its QoS 2 flow. The acknowledgement is sent only once the message was
 * authorized and routed, so a QoS 1 or 2 publisher learns the decision (MQTT 5.0: 0x87 when refused; 3.1.1 has no
 * way to say it, so a refused message is acknowledged and dropped, MQTT-3.3.5-2). A decision that is not known at
 * once (a plugin reading a database, a hook server) does not hold the client's next PUBLISH packets: their decisions
 * start too, up to {@code limits.max_pending_decisions}, and the results are carried out in arrival order
 * ({@link PublishPipeline}).
 */
final class PublishHandler {

    private final ConnectionServices core;

    PublishHandler(ConnectionServices core) {
        this.core = core;
    }

    CompletionStage<?> handle(Connection c, Publish p) {
        Session s = c.session();
        String topic = p.topic();
        Integer alias = p.properties().topicAlias();
        if (alias != null) {
            int max = c.limits().maxTopicAlias();
            if (alias == 0 || alias > max || c.aliases() == null) {
                c.disconnect(ReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias + " is not within 1.." + max);
                return null;
            }
            if (topic.isEmpty()) {
                topic = c.aliases().inbound(alias);
                if (topic == null) {
                    c.disconnect(ReasonCode.PROTOCOL_ERROR, "topic alias " + alias + " was never set");
                    return null;
                }
            } else {
                c.aliases().inbound(alias, topic);
            }
        }
        if (p.qos() == Qos.EXACTLY_ONCE && !s.inboundQos2().begin(p.packetId())) {
            return duplicate(c, s, p);
        }
        core.metrics().messagesReceived.increment();
        Integer format = p.properties().payloadFormatIndicator();
        if (format != null && format == 1 && !Utf8.isValid(p.payload())) {
            if (p.qos().level() == 0) {
                c.disconnect(ReasonCode.PAYLOAD_FORMAT_INVALID, "the payload is marked UTF-8 but is not");
            } else {
                acknowledge(c, s, p, ReasonCode.PAYLOAD_FORMAT_INVALID, "the payload is marked UTF-8 but is not");
            }
            return null;
        }

        BrokerMessage m = BrokerMessage.fromPublish(p, topic, c.info().clientId(), System.currentTimeMillis());
        PublishService publisher = core.publisher();
        CompletableFuture<PublishVerdict> verdict = publisher.decide(m, c.info()).toCompletableFuture();
        PublishPipeline pipeline = c.publishes();
        if ((pipeline == null || pipeline.isEmpty()) && verdict.isDone() && !verdict.isCompletedExceptionally()) {
            published(c, s, p, publisher.apply(m, c.info(), s, verdict.join())); // no decision under way: at once
            return null;
        }
        if (pipeline == null) {
            pipeline = new PublishPipeline(s::execute, c.limits().maxPendingDecisions(),
                    d -> decided(c, s, d), c::publishesDone);
            c.publishes(pipeline);
        }
        return pipeline.add(new PublishPipeline.Pending(p, m, verdict));
    }

    /**
     * A re-send (DUP) of a QoS 2 message whose packet identifier is taken: it is not routed again and takes no new
     * slot of the Receive Maximum. When the first copy was accepted, PUBREC answers it again (after the PUBLISH
     * packets whose decisions are under way, to keep the acknowledgements in order); while the first copy is still
     * being decided, that copy's PUBREC will answer both.
     */
    private CompletionStage<?> duplicate(Connection c, Session s, Publish p) {
        c.inboundAcknowledged();
        if (!s.inboundQos2().isAccepted(p.packetId())) {
            return null;
        }
        PublishPipeline pipeline = c.publishes();
        if (pipeline == null || pipeline.isEmpty()) {
            c.send(new PubRec(p.packetId()));
            return null;
        }
        return pipeline.add(new PublishPipeline.Pending(p, null, DUPLICATE));
    }

    /** The verdict of a {@link #duplicate}: carried out in its turn by answering PUBREC again. */
    private static final CompletableFuture<PublishVerdict> DUPLICATE = CompletableFuture.completedFuture(
            PublishVerdict.deny(ReasonCode.PACKET_IDENTIFIER_IN_USE, null));

    /** A PUBLISH whose decision came, in its turn: routed, then acknowledged. */
    private void decided(Connection c, Session s, PublishPipeline.Pending d) {
        if (d.verdict() == DUPLICATE) {
            if (!c.isClosing() && s.inboundQos2().isAccepted(d.publish().packetId())) {
                c.send(new PubRec(d.publish().packetId()));
            }
            return;
        }
        Outcome o;
        if (d.verdict().isCompletedExceptionally()) {
            o = new Outcome(ReasonCode.UNSPECIFIED_ERROR, null, 0, null);
        } else {
            o = core.publisher().apply(d.message(), c.info(), s, d.verdict().join());
        }
        published(c, s, d.publish(), o);
    }

    private void published(Connection c, Session s, Publish p, Outcome o) {
        if (c.isClosing()) {
            // Nobody to acknowledge to; the QoS 2 receipt is still kept (the message was routed), so a re-send on the
            // next connection is answered and not routed twice.
            if (p.qos() == Qos.EXACTLY_ONCE) {
                received(s, p, o.reasonCode());
            }
            return;
        }
        if (o.congested() != null) {
            c.slowDownFor(o.congested());
        }
        ReasonCode rc = o.reasonCode();
        String why = o.reasonString() != null ? o.reasonString()
                : rc == ReasonCode.NOT_AUTHORIZED ? "not authorized to publish to " + p.topic() : null;
        acknowledge(c, s, p, rc, why);
    }

    private void acknowledge(Connection c, Session s, Publish p, ReasonCode rc, String why) {
        if (!c.version().isV5() && rc.isError()) {
            rc = ReasonCode.SUCCESS;
        }
        if (!c.version().isV5() && rc == ReasonCode.NO_MATCHING_SUBSCRIBERS) {
            rc = ReasonCode.SUCCESS;
        }
        MqttProperties props = rc.isError() ? c.reason(why) : MqttProperties.EMPTY;
        MqttPacket ack;
        switch (p.qos()) {
            case AT_LEAST_ONCE -> {
                ack = new PubAck(p.packetId(), rc, props);
                c.inboundAcknowledged();
            }
            case EXACTLY_ONCE -> {
                if (rc.isError()) {
                    c.inboundAcknowledged();
                }
                received(s, p, rc);
                ack = new PubRec(p.packetId(), rc, props);
            }
            default -> {
                return;
            }
        }
        // Acknowledged once what the message caused is stored; later packets are handled meanwhile, and the
        // acknowledgements go out in their order.
        c.acknowledgements().send(ack, core.persistence().barrier(), s);
    }

    /** Settles a QoS 2 message's packet identifier: a receipt kept until PUBREL, or free again when refused. */
    private static void received(Session s, Publish p, ReasonCode rc) {
        if (rc.isError()) {
            s.inboundQos2().refused(p.packetId());
        } else {
            s.inboundQos2().accept(p.packetId());
        }
    }

    /** PUBREL: the client releases a QoS 2 message; answer PUBCOMP. */
    void release(Connection c, PubRel r) {
        boolean known = c.session().inboundQos2().release(r.packetId());
        c.inboundAcknowledged();
        c.send(new PubComp(r.packetId(), known ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                MqttProperties.EMPTY));
    }
}
