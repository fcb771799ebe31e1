package io.mast.integration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.DisconnectInfo;
import io.mast.plugin.Message;
import io.mast.plugin.UserProperty;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Messages and client events as JSON objects, with EMQX's field names where EMQX has them ({@code clientid},
 * {@code username}, {@code topic}, {@code qos}, {@code payload}, {@code peername}, {@code node}, {@code timestamp}).
 */
public final class MessageJson {

    /** The mapper of the integrations: plain JSON, nothing configured. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private MessageJson() {
    }

    /** The IP address of {@code address} as text, without a host name look-up. */
    public static String host(InetSocketAddress address) {
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }

    /**
     * A message's MQTT 5.0 properties as an object: {@code content_type}, {@code response_topic},
     * {@code correlation_data} (base64), {@code message_expiry_interval}, {@code payload_format_indicator} (each
     * only when set) and {@code user_properties} (an object; a repeated name keeps its last value).
     */
    public static ObjectNode properties(Message m) {
        ObjectNode o = MAPPER.createObjectNode();
        if (m.contentType() != null) {
            o.put("content_type", m.contentType());
        }
        if (m.responseTopic() != null) {
            o.put("response_topic", m.responseTopic());
        }
        if (m.correlationData() != null) {
            o.put("correlation_data", Base64.getEncoder().encodeToString(m.correlationData()));
        }
        if (m.messageExpiryInterval() != null) {
            o.put("message_expiry_interval", m.messageExpiryInterval());
        }
        if (m.payloadFormatIndicator() != null) {
            o.put("payload_format_indicator", m.payloadFormatIndicator());
        }
        ObjectNode user = o.putObject("user_properties");
        for (UserProperty p : m.userProperties()) {
            user.put(p.name(), p.value());
        }
        return o;
    }

    /**
     * A published message as an event ({@code "event": "message.publish"}): id, clientid, username, peername,
     * topic, qos, retain, payload (UTF-8 text, or base64 with {@code "payload_encoding": "base64"} when it is not
     * valid UTF-8 or {@code base64} is asked for), properties, timestamp, node.
     */
    public static ObjectNode message(Published p, boolean base64) {
        Message m = p.message();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("event", "message.publish");
        o.put("id", m.id());
        o.put("clientid", p.clientId());
        o.put("username", p.username());
        o.put("peername", p.peerHost());
        o.put("topic", m.topic());
        o.put("qos", m.qos());
        o.put("retain", m.retain());
        String text = base64 ? null : utf8(m.payload());
        if (text != null) {
            o.put("payload", text);
        } else {
            o.put("payload", Base64.getEncoder().encodeToString(m.payload()));
            o.put("payload_encoding", "base64");
        }
        o.set("properties", properties(m));
        o.put("timestamp", m.timestamp());
        o.put("node", p.node());
        return o;
    }

    /** A client event ({@code client.connected}, ...) with the client's fields. */
    public static ObjectNode client(String event, ClientInfo c, String node, long timestamp) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("event", event);
        o.put("clientid", c.clientId());
        o.put("username", c.username());
        o.put("peername", c.remoteAddress() != null ? host(c.remoteAddress()) + ":" + c.remoteAddress().getPort()
                : null);
        o.put("proto_ver", c.protocolVersion());
        o.put("keepalive", c.keepAlive());
        o.put("clean_start", c.cleanStart());
        o.put("connected_at", c.connectedAt());
        o.put("timestamp", timestamp);
        o.put("node", node);
        return o;
    }

    /** A {@code client.disconnected} event: the client's fields and the reason, its code and who ended it. */
    public static ObjectNode disconnected(ClientInfo c, DisconnectInfo d, String node, long timestamp) {
        ObjectNode o = client("client.disconnected", c, node, timestamp);
        o.put("reason", d.reason());
        o.put("reason_code", d.reasonCode());
        o.put("by_client", d.byClient());
        o.put("disconnected_at", timestamp);
        return o;
    }

    /** {@code bytes} as UTF-8 text, or {@code null} when they are not valid UTF-8. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
