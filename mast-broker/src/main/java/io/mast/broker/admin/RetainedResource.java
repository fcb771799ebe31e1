package io.mast.broker.admin;

import io.mast.broker.message.BrokerMessage;
import io.mast.plugin.AdminRequest;
import io.mast.plugin.AdminResource;
import io.mast.plugin.AdminResponse;
import io.mast.plugin.TopicFilters;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code /api/v1/retained}: {@code GET /retained?topic=<filter>} lists the retained messages whose topic matches the
 * filter (default {@code #}; without payloads; pages); {@code GET /retained/<topic>} shows one with its payload
 * (base64, and as text when it is UTF-8); {@code DELETE /retained/<topic>} removes it. The topic is the rest of the
 * path, or one URL-encoded segment ({@code a%2Fb}) when it has empty levels.
 */
final class RetainedResource implements AdminResource {

    private final AdminServices core;

    RetainedResource(AdminServices core) {
        this.core = core;
    }

    @Override
    public CompletionStage<AdminResponse> handle(AdminRequest r) {
        if (r.path().isEmpty()) {
            if (!r.method().equals("GET")) {
                return ClientsResource.done(AdminResponse.error(405, "METHOD_NOT_ALLOWED",
                        "GET /api/v1/retained lists the retained messages"));
            }
            String filter = r.query().getOrDefault("topic", "#");
            if (!TopicFilters.isTopicFilter(filter) || TopicFilters.parseShared(filter) != null) {
                return ClientsResource.done(AdminResponse.badRequest("topic: not a topic filter: " + filter));
            }
            Page page;
            try {
                page = Page.of(r);
            } catch (IllegalArgumentException e) {
                return ClientsResource.done(AdminResponse.badRequest(e.getMessage()));
            }
            long now = System.currentTimeMillis();
            List<Map<String, Object>> rows = core.retained().match(filter, now).stream()
                    .sorted(Comparator.comparing(BrokerMessage::topic)).map(m -> json(m, false, now)).toList();
            return ClientsResource.done(page.of(rows));
        }
        String topic = String.join("/", r.path());
        return ClientsResource.done(switch (r.method()) {
            case "GET" -> {
                long now = System.currentTimeMillis();
                BrokerMessage m = core.retained().get(topic);
                yield m == null || m.isExpired(now) ? AdminResponse.notFound("no retained message on " + topic)
                        : AdminResponse.ok(json(m, true, now));
            }
            case "DELETE" -> core.retained().clear(topic) ? AdminResponse.noContent()
                    : AdminResponse.notFound("no retained message on " + topic);
            default -> AdminResponse.error(405, "METHOD_NOT_ALLOWED", "GET or DELETE /api/v1/retained/<topic>");
        });
    }

    private static Map<String, Object> json(BrokerMessage m, boolean withPayload, long now) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("topic", m.topic());
        j.put("qos", m.qos().level());
        j.put("payload_size", m.payload().length);
        j.put("from_clientid", m.publisherId());
        j.put("publish_at", m.createdAt());
        j.put("expiry_interval", m.expiresAt() > 0 ? m.remainingExpirySeconds(now) : null);
        if (withPayload) {
            j.put("payload", Base64.getEncoder().encodeToString(m.payload()));
            j.put("payload_text", text(m.payload()));
        }
        return j;
    }

    private static String text(byte[] payload) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
