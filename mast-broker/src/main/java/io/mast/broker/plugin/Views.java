package io.mast.broker.plugin;

import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.routing.SubscriptionEntry;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.PublishAcknowledgement;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.UnsubAck;
import io.mast.codec.packet.Unsubscribe;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Message;
import io.mast.plugin.PacketInfo;
import io.mast.plugin.Subscription;
import io.mast.plugin.UserProperty;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the broker's types and the plugin API's. */
final class Views {

    private Views() {
    }

    /** A broker message as plugins see it; the payload is shared, not copied (Message never exposes it for writing). */
    static Message message(BrokerMessage m, long now) {
        MqttProperties p = m.properties();
        long remaining = m.remainingExpirySeconds(now);
        Message.Builder b = Message.builder(m.topic())
                .id(m.id())
                .payload(m.payload())
                .qos(m.qos().level())
                .retain(m.retain())
                .publisherId(m.publisherId())
                .timestamp(m.createdAt())
                .messageExpiryInterval(remaining < 0 ? null : remaining)
                .payloadFormatIndicator(p.payloadFormatIndicator())
                .contentType(p.contentType())
                .responseTopic(p.responseTopic())
                .correlationData(p.correlationData());
        if (!p.userProperties().isEmpty()) {
            List<UserProperty> ups = new ArrayList<>(p.userProperties().size());
            for (io.mast.codec.UserProperty u : p.userProperties()) {
                ups.add(new UserProperty(u.name(), u.value()));
            }
            b.userProperties(ups);
        }
        return Message.wrap(b);
    }

    /** A plugin's message as the broker routes it. */
    static BrokerMessage brokerMessage(Message m, String publisherId, long createdAt, long now) {
        MqttProperties.Builder p = MqttProperties.builder()
                .payloadFormatIndicator(m.payloadFormatIndicator())
                .contentType(m.contentType())
                .responseTopic(m.responseTopic())
                .correlationData(m.correlationData());
        for (UserProperty u : m.userProperties()) {
            p.addUserProperty(u.name(), u.value());
        }
        Long expiry = m.messageExpiryInterval();
        return new BrokerMessage(m.topic(), m.payload(), Qos.ofLevel(m.qos()), m.retain(), p.build(), publisherId,
                createdAt, expiry == null ? 0 : now + expiry * 1000);
    }

    /** A broker message changed by a plugin, keeping its publisher and reception time. */
    static BrokerMessage changed(BrokerMessage original, Message changed, long now) {
        return brokerMessage(changed, original.publisherId(), original.createdAt(), now);
    }

    static Subscription subscription(SubscriptionEntry e) {
        return new Subscription(e.filter(), e.qos().level(), e.noLocal(), e.retainAsPublished(),
                e.retainHandling().value(), e.subscriptionId());
    }

    static PacketInfo packet(MqttPacket p) {
        int id = switch (p) {
            case Publish x -> x.packetId();
            case PublishAcknowledgement x -> x.packetId();
            case Subscribe x -> x.packetId();
            case SubAck x -> x.packetId();
            case Unsubscribe x -> x.packetId();
            case UnsubAck x -> x.packetId();
            default -> 0;
        };
        return new PacketInfo(p.type().name(), id, p.toString());
    }

    /** A CONNECT being authenticated. */
    static ConnectInfo connect(Connect c, ConnectionInfo info) {
        return new ConnectView(c, info, false);
    }

    /** The same CONNECT as a plugin of the auth chain sees it, with the chain's result so far. */
    static ConnectInfo withResultSoFar(ConnectInfo c, boolean authenticatedSoFar) {
        return c instanceof ConnectView v && v.authenticatedSoFar != authenticatedSoFar
                ? new ConnectView(v.connect, v.info, authenticatedSoFar) : c;
    }

    private record ConnectView(Connect connect, ConnectionInfo info, boolean authenticatedSoFar) implements ConnectInfo {
        @Override
        public String clientId() {
            return info.clientId();
        }

        @Override
        public String username() {
            return info.username();
        }

        @Override
        public int protocolVersion() {
            return info.protocolVersion();
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return info.remoteAddress();
        }

        @Override
        public int localPort() {
            return info.localPort();
        }

        @Override
        public String listener() {
            return info.listener();
        }

        @Override
        public int keepAlive() {
            return info.keepAlive();
        }

        @Override
        public boolean cleanStart() {
            return info.cleanStart();
        }

        @Override
        public long connectedAt() {
            return info.connectedAt();
        }

        @Override
        public String certificateCommonName() {
            return info.certificateCommonName();
        }

        @Override
        public String certificateSubject() {
            return info.certificateSubject();
        }

        @Override
        public java.util.List<String> certificateSans() {
            return info.certificateSans();
        }

        @Override
        public java.security.cert.X509Certificate certificate() {
            return info.certificate();
        }

        @Override
        public boolean clientIdAssigned() {
            return connect.clientId().isEmpty();
        }

        @Override
        public byte[] password() {
            return connect.password() == null ? null : connect.password().clone();
        }

        @Override
        public Message will() {
            if (connect.will() == null) {
                return null;
            }
            var w = connect.will();
            var p = w.properties();
            Message.Builder b = Message.builder(w.topic()).payload(w.payload()).qos(w.qos().level()).retain(w.retain())
                    .publisherId(info.clientId()).messageExpiryInterval(p.messageExpiryInterval())
                    .payloadFormatIndicator(p.payloadFormatIndicator()).contentType(p.contentType())
                    .responseTopic(p.responseTopic()).correlationData(p.correlationData());
            for (io.mast.codec.UserProperty u : p.userProperties()) {
                b.userProperty(u.name(), u.value());
            }
            return b.build();
        }

        @Override
        public long willDelayInterval() {
            Long d = connect.will() == null ? null : connect.will().properties().willDelayInterval();
            return d == null ? 0 : d;
        }

        @Override
        public long sessionExpiryInterval() {
            Long e = connect.properties().sessionExpiryInterval();
            return e == null ? 0 : e;
        }

        @Override
        public int receiveMaximum() {
            Integer r = connect.properties().receiveMaximum();
            return r == null ? 65535 : r;
        }

        @Override
        public long maximumPacketSize() {
            Long m = connect.properties().maximumPacketSize();
            return m == null ? 0 : m;
        }

        @Override
        public int topicAliasMaximum() {
            Integer t = connect.properties().topicAliasMaximum();
            return t == null ? 0 : t;
        }

        @Override
        public List<UserProperty> userProperties() {
            return connect.properties().userProperties().stream().map(u -> new UserProperty(u.name(), u.value())).toList();
        }

        @Override
        public String authenticationMethod() {
            return connect.properties().authenticationMethod();
        }

        @Override
        public byte[] authenticationData() {
            byte[] d = connect.properties().authenticationData();
            return d == null ? null : d.clone();
        }

        @Override
        public String toString() {
            return "Connect[" + info.describe() + "]";
        }
    }
}
