package io.mast.exhook;

import com.google.protobuf.ByteString;
import io.mast.exhook.proto.v3.ClientInfo;
import io.mast.exhook.proto.v3.ConnInfo;
import io.mast.exhook.proto.v3.Message;
import io.mast.exhook.proto.v3.Property;
import io.mast.exhook.proto.v3.RequestMeta;
import io.mast.exhook.proto.v3.SubOpts;
import io.mast.exhook.proto.v3.TopicFilter;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.SessionInfo;
import io.mast.plugin.Subscription;
import io.mast.plugin.UserProperty;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the parts of ExHook requests from Mast's plugin types, filling each field as EMQX's
 * {@code emqx_exhook_handler} does: the node is the broker's name, {@code protocol} is {@code mqtt},
 * {@code mountpoint} is empty, {@code is_superuser} says whether an auth plugin made the client a superuser, absent
 * strings are empty, peer hosts are printed as Erlang's {@code inet:ntoa} prints them, and MQTT 5.0 properties are
 * split into {@code props} (named as EMQX names them, values as text) and {@code user_props}.
 */
final class Requests {

    /** What every request of this broker carries. */
    final RequestMeta meta;
    private final String node;

    Requests(String node, String version) {
        this.node = node;
        this.meta = RequestMeta.newBuilder().setNode(node).setVersion(version).setSysdescr("Mast")
                .setClusterName(node).build();
    }

    String node() {
        return node;
    }

    // ---- Clients ----

    /** A client as ClientInfo, without its password (EMQX sends the password only to client.authenticate). */
    ClientInfo clientInfo(io.mast.plugin.ClientInfo c) {
        InetSocketAddress a = c.remoteAddress();
        return ClientInfo.newBuilder()
                .setNode(node)
                .setClientid(c.clientId())
                .setUsername(orEmpty(c.username()))
                .setPeerhost(a == null ? "" : peerhost(a))
                .setPeerport(a == null ? 0 : a.getPort())
                .setSockport(c.localPort())
                .setProtocol("mqtt")
                .setMountpoint("")
                .setIsSuperuser(c.superuser())
                .setAnonymous(c.anonymous())
                .setCn(orEmpty(c.certificateCommonName()))
                .setDn(orEmpty(c.certificateSubject()))
                .build();
    }

    /** A connecting client with its password, for client.authenticate. */
    ClientInfo clientInfoWithPassword(ConnectInfo c) {
        byte[] password = c.password();
        ClientInfo info = clientInfo(c);
        return password == null ? info
                : info.toBuilder().setPassword(new String(password, StandardCharsets.UTF_8)).build();
    }

    /** The client of a session; a session no client has used yet has only its identifier. */
    ClientInfo clientInfo(SessionInfo s) {
        if (s.client() != null) {
            return clientInfo(s.client());
        }
        return ClientInfo.newBuilder().setNode(node).setClientid(s.clientId()).setProtocol("mqtt")
                .setAnonymous(true).build();
    }

    /** A client as ConnInfo (client.connect, client.connack). */
    ConnInfo connInfo(io.mast.plugin.ClientInfo c) {
        InetSocketAddress a = c.remoteAddress();
        return ConnInfo.newBuilder()
                .setNode(node)
                .setClientid(c.clientId())
                .setUsername(orEmpty(c.username()))
                .setPeerhost(a == null ? "" : peerhost(a))
                .setPeerport(a == null ? 0 : a.getPort())
                .setSockport(c.localPort())
                .setProtoName(c.protocolName())
                .setProtoVer(Integer.toString(c.protocolVersion()))
                .setKeepalive(c.keepAlive())
                .build();
    }

    /**
     * The MQTT 5.0 properties of a CONNECT other than user properties. Mast's view of CONNECT has defaults instead of
     * absent values, so a property at its protocol default is left out.
     */
    static List<Property> connectProps(ConnectInfo c) {
        List<Property> out = new ArrayList<>(4);
        if (c.protocolVersion() < 5) {
            return out;
        }
        if (c.sessionExpiryInterval() != 0) {
            out.add(prop("Session-Expiry-Interval", Long.toString(c.sessionExpiryInterval())));
        }
        if (c.receiveMaximum() != 65535) {
            out.add(prop("Receive-Maximum", Integer.toString(c.receiveMaximum())));
        }
        if (c.maximumPacketSize() != 0) {
            out.add(prop("Maximum-Packet-Size", Long.toString(c.maximumPacketSize())));
        }
        if (c.topicAliasMaximum() != 0) {
            out.add(prop("Topic-Alias-Maximum", Integer.toString(c.topicAliasMaximum())));
        }
        if (c.authenticationMethod() != null) {
            out.add(prop("Authentication-Method", c.authenticationMethod()));
            byte[] data = c.authenticationData();
            if (data != null) {
                out.add(prop("Authentication-Data", new String(data, StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    static List<Property> userProps(List<UserProperty> ups) {
        List<Property> out = new ArrayList<>(ups.size());
        for (UserProperty u : ups) {
            out.add(prop(u.name(), u.value()));
        }
        return out;
    }

    // ---- Subscriptions ----

    static SubOpts subOpts(Subscription s) {
        return SubOpts.newBuilder().setQos(s.qos()).setRh(s.retainHandling()).setRap(s.retainAsPublished() ? 1 : 0)
                .setNl(s.noLocal() ? 1 : 0).build();
    }

    static TopicFilter topicFilter(String filter, SubOpts opts) {
        return TopicFilter.newBuilder().setName(filter).setSubopts(opts).build();
    }

    /** The properties of a SUBSCRIBE that Mast keeps: the subscription identifier. */
    static List<Property> subscribeProps(Subscription s) {
        return s.subscriptionId() == 0 ? List.of()
                : List.of(prop("Subscription-Identifier", Integer.toString(s.subscriptionId())));
    }

    /** A filter without its {@code $share/<group>/} prefix. */
    static String realTopic(String filter) {
        if (filter.startsWith("$share/")) {
            int slash = filter.indexOf('/', 7);
            return slash < 0 ? filter : filter.substring(slash + 1);
        }
        return filter;
    }

    /** The group of a shared subscription's filter, or {@code null}. */
    static String shareGroup(String filter) {
        if (filter.startsWith("$share/")) {
            int slash = filter.indexOf('/', 7);
            return slash < 0 ? null : filter.substring(7, slash);
        }
        return null;
    }

    // ---- Messages ----

    /**
     * A message as ExHook's Message: {@code from} is the publisher's client identifier, the headers are the publisher's
     * user name, protocol and address when it is known (EMQX keeps them in the message's headers).
     */
    Message message(io.mast.plugin.Message m, io.mast.plugin.ClientInfo publisher) {
        Message.Builder b = Message.newBuilder()
                .setNode(node)
                .setId(orEmpty(m.id()))
                .setQos(m.qos())
                .setFrom(orEmpty(m.publisherId()))
                .setTopic(m.topic())
                .setPayload(ByteString.copyFrom(m.payloadBuffer()))
                .setTimestamp(m.timestamp());
        if (publisher != null) {
            if (publisher.username() != null) {
                b.putHeaders("username", publisher.username());
            }
            b.putHeaders("protocol", "mqtt");
            if (publisher.remoteAddress() != null) {
                b.putHeaders("peerhost", peerhost(publisher.remoteAddress()));
            }
        }
        return b.build();
    }

    /** The MQTT 5.0 properties of a message other than user properties, named as EMQX names them. */
    static List<Property> messageProps(io.mast.plugin.Message m) {
        List<Property> out = new ArrayList<>(2);
        if (m.payloadFormatIndicator() != null) {
            out.add(prop("Payload-Format-Indicator", m.payloadFormatIndicator().toString()));
        }
        if (m.messageExpiryInterval() != null) {
            out.add(prop("Message-Expiry-Interval", m.messageExpiryInterval().toString()));
        }
        if (m.contentType() != null) {
            out.add(prop("Content-Type", m.contentType()));
        }
        if (m.responseTopic() != null) {
            out.add(prop("Response-Topic", m.responseTopic()));
        }
        byte[] correlation = m.correlationData();
        if (correlation != null) {
            out.add(prop("Correlation-Data", new String(correlation, StandardCharsets.UTF_8)));
        }
        return out;
    }

    // ---- Reasons ----

    /** EMQX's name of an MQTT 5.0 reason code ({@code emqx_reason_codes:name/1}), as client.connack sends it. */
    static String reasonName(int code) {
        return switch (code) {
            case 0x00 -> "success";
            case 0x01 -> "granted_qos1";
            case 0x02 -> "granted_qos2";
            case 0x04 -> "disconnect_with_will_message";
            case 0x10 -> "no_matching_subscribers";
            case 0x11 -> "no_subscription_existed";
            case 0x18 -> "continue_authentication";
            case 0x19 -> "re_authenticate";
            case 0x80 -> "unspecified_error";
            case 0x81 -> "malformed_Packet";
            case 0x82 -> "protocol_error";
            case 0x83 -> "implementation_specific_error";
            case 0x84 -> "unsupported_protocol_version";
            case 0x85 -> "client_identifier_not_valid";
            case 0x86 -> "bad_username_or_password";
            case 0x87 -> "not_authorized";
            case 0x88 -> "server_unavailable";
            case 0x89 -> "server_busy";
            case 0x8A -> "banned";
            case 0x8B -> "server_shutting_down";
            case 0x8C -> "bad_authentication_method";
            case 0x8D -> "keepalive_timeout";
            case 0x8E -> "session_taken_over";
            case 0x8F -> "topic_filter_invalid";
            case 0x90 -> "topic_name_invalid";
            case 0x91 -> "packet_identifier_inuse";
            case 0x92 -> "packet_identifier_not_found";
            case 0x93 -> "receive_maximum_exceeded";
            case 0x94 -> "topic_alias_invalid";
            case 0x95 -> "packet_too_large";
            case 0x96 -> "message_rate_too_high";
            case 0x97 -> "quota_exceeded";
            case 0x98 -> "administrative_action";
            case 0x99 -> "payload_format_invalid";
            case 0x9A -> "retain_not_supported";
            case 0x9B -> "qos_not_supported";
            case 0x9C -> "use_another_server";
            case 0x9D -> "server_moved";
            case 0x9E -> "shared_subscriptions_not_supported";
            case 0x9F -> "connection_rate_exceeded";
            case 0xA0 -> "maximum_connect_time";
            case 0xA1 -> "subscription_identifiers_not_supported";
            case 0xA2 -> "wildcard_subscriptions_not_supported";
            default -> "unknown_error";
        };
    }

    /**
     * The reason of client.disconnected as EMQX words it: a connection that closed without DISCONNECT is
     * {@code tcp_closed}; Mast's other reasons ({@code normal}, {@code keepalive_timeout}, {@code takenover},
     * {@code kicked}, {@code discarded} ...) are EMQX's words already.
     */
    static String disconnectReason(String mastReason) {
        if (mastReason == null) {
            return "normal";
        }
        return switch (mastReason) {
            case "connection_lost" -> "tcp_closed";
            default -> mastReason;
        };
    }

    static String dropReason(io.mast.plugin.DropReason r) {
        return r.name().toLowerCase(Locale.ROOT);
    }

    // ---- Helpers ----

    static Property prop(String name, String value) {
        return Property.newBuilder().setName(name).setValue(value).build();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /**
     * An address printed as Erlang's {@code inet:ntoa}: IPv4 dotted, an IPv4-mapped IPv6 address as IPv4, other IPv6
     * addresses in lower case with the longest run of zero groups written {@code ::}.
     */
    static String peerhost(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip == null) {
            return a.getHostString();
        }
        if (ip instanceof Inet4Address) {
            return ip.getHostAddress();
        }
        byte[] b = ((Inet6Address) ip).getAddress();
        boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        for (int i = 0; i < 10 && mapped; i++) {
            mapped = b[i] == 0;
        }
        if (mapped) {
            return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
