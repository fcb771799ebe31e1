package io.mast.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mast.client.MqttMessage;
import io.mast.codec.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** {@code mast sub -F %j} and {@code %J}: a message as mosquitto_sub writes it in JSON (cJSON's layout for --pretty). */
final class JsonMessage {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TST = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'xx",
            Locale.ROOT);

    private JsonMessage() {
    }

    /** The JSON text, or {@code null} when {@code payloadAsJson} and the payload is not JSON. */
    static String write(MqttMessage m, int packetId, ZonedDateTime now, boolean payloadAsJson, boolean pretty) {
        ObjectNode o = JSON.createObjectNode();
        o.put("tst", now.format(TST));
        o.put("topic", m.topic());
        o.put("qos", m.qos().level());
        o.put("retain", m.retain() ? 1 : 0);
        o.put("payloadlen", m.payload().length);
        if (m.qos().level() > 0) {
            o.put("mid", packetId);
        }
        ObjectNode props = properties(m.properties());
        if (!props.isEmpty()) {
            o.set("properties", props);
        }
        if (payloadAsJson) {
            try {
                JsonNode payload = JSON.readTree(m.payload());
                if (payload == null || payload.isMissingNode()) {
                    return null;
                }
                o.set("payload", payload);
            } catch (java.io.IOException e) {
                return null;
            }
        } else {
            o.put("payload", new String(m.payload(), StandardCharsets.UTF_8));
        }
        if (pretty) {
            StringBuilder sb = new StringBuilder();
            pretty(sb, o, 0);
            return sb.toString();
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode properties(MqttProperties p) {
        ObjectNode o = JSON.createObjectNode();
        if (p.payloadFormatIndicator() != null) {
            o.put("payload-format-indicator", p.payloadFormatIndicator());
        }
        if (p.messageExpiryInterval() != null) {
            o.put("message-expiry-interval", p.messageExpiryInterval());
        }
        if (p.contentType() != null) {
            o.put("content-type", p.contentType());
        }
        if (p.responseTopic() != null) {
            o.put("response-topic", p.responseTopic());
        }
        if (p.correlationData() != null) {
            o.put("correlation-data", new String(p.correlationData(), StandardCharsets.UTF_8));
        }
        if (!p.subscriptionIdentifiers().isEmpty()) {
            o.put("subscription-identifier", p.subscriptionIdentifiers().getFirst());
        }
        if (p.topicAlias() != null) {
            o.put("topic-alias", p.topicAlias());
        }
        if (!p.userProperties().isEmpty()) {
            ObjectNode user = o.putObject("user-properties");
            p.userProperties().forEach(u -> user.put(u.name(), u.value()));
        }
        return o;
    }

    /** cJSON's formatted layout: one member per line, tabs for indentation and after each colon. */
    private static void pretty(StringBuilder sb, JsonNode node, int depth) {
        if (node.isObject() && !node.isEmpty()) {
            sb.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                sb.append("\t".repeat(depth + 1)).append(JSON.getNodeFactory().textNode(e.getKey())).append(":\t");
                pretty(sb, e.getValue(), depth + 1);
                sb.append(it.hasNext() ? ",\n" : "\n");
            }
            sb.append("\t".repeat(depth)).append('}');
        } else if (node.isArray() && !node.isEmpty()) {
            sb.append('[');
            for (int i = 0; i < node.size(); i++) {
                pretty(sb, node.get(i), depth);
                sb.append(i + 1 < node.size() ? ", " : "");
            }
            sb.append(']');
        } else {
            sb.append(node);
        }
    }
}
