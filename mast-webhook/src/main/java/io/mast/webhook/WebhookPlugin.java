package io.mast.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mast.integration.Batcher;
import io.mast.integration.MessageJson;
import io.mast.integration.Published;
import io.mast.integration.TopicFilterSet;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.Default;
import io.mast.plugin.DisconnectInfo;
import io.mast.plugin.DropReason;
import io.mast.plugin.Message;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.PluginMetrics;
import io.mast.plugin.Subscription;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Posts the broker's events to an HTTP service, as EMQX's webhook does: each chosen event becomes a JSON object
 * (EMQX's field names), and the objects are sent in batches, as a JSON array, with retries and backoff; message
 * events are taken only for topics matching {@code filters}. A bounded buffer sits between the broker and the
 * service: a slow or absent service never holds up a client, and what does not fit is dropped and counted. See
 * docs/integrations.md.
 */
public final class WebhookPlugin extends BrokerPlugin {

    /** The events that can be posted, by their EMQX names. */
    public enum Event {
        CLIENT_CONNECTED("client.connected"),
        CLIENT_DISCONNECTED("client.disconnected"),
        SESSION_SUBSCRIBED("session.subscribed"),
        SESSION_UNSUBSCRIBED("session.unsubscribed"),
        MESSAGE_PUBLISH("message.publish"),
        MESSAGE_DELIVERED("message.delivered"),
        MESSAGE_ACKED("message.acked"),
        MESSAGE_DROPPED("message.dropped");

        final String id;

        Event(String id) {
            this.id = id;
        }

        static Event of(String name) {
            for (Event e : values()) {
                if (e.id.equals(name)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("events: unknown event \"" + name + "\"; expected some of: "
                    + String.join(", ", java.util.Arrays.stream(values()).map(e -> e.id).toList()));
        }
    }

    /** HTTP methods a webhook may use. */
    public enum Method { POST, PUT }

    /** The webhook's options (docs/integrations.md has them all). */
    public record Config(
            String url,
            @Default("post") Method method,
            Map<String, String> headers,
            List<String> events,
            List<String> filters,
            @Default("false") boolean payloadBase64,
            @Default("100") int batchSize,
            @Default("200ms") Duration batchTime,
            @Default("10000") int bufferSize,
            @Default("5") int maxRetries,
            @Default("500ms") Duration retryInitial,
            @Default("30s") Duration retryMax,
            @Default("5s") Duration connectTimeout,
            @Default("10s") Duration requestTimeout,
            @Default("5s") Duration shutdownTimeout) {
        public Config {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            events = events == null ? List.of("client.connected", "client.disconnected", "message.publish")
                    : List.copyOf(events);
            filters = filters == null ? List.of("#") : List.copyOf(filters);
        }
    }

    private final Config config;
    private final Set<Event> events = EnumSet.noneOf(Event.class);
    private final TopicFilterSet filters;
    private final Batcher<ObjectNode> buffer;
    private final PluginMetrics.Counter matched;
    private final String node;

    public WebhookPlugin(BrokerContext context) {
        super(context);
        this.config = config(Config.class);
        URI uri = URI.create(config.url());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("url: expected an http:// or https:// URL, got " + config.url());
        }
        config.events().forEach(e -> events.add(Event.of(e)));
        try {
            this.filters = TopicFilterSet.of(config.filters());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("filters: " + e.getMessage());
        }
        this.node = context.brokerName();
        PluginMetrics metrics = context.metrics();
        this.matched = metrics.counter("matched");
        HttpPoster poster = new HttpPoster(config, uri, metrics.counter("dropped.rejected"), log());
        this.buffer = new Batcher<>("webhook", new Batcher.Options(config.bufferSize(), config.batchSize(),
                config.batchTime(), config.maxRetries(), config.retryInitial(), config.retryMax()),
                poster, new Batcher.Listener<>() { }, metrics, "", log());
    }

    private void post(ObjectNode body) {
        matched.increment();
        buffer.offer(body);
    }

    @Override
    @NonBlocking
    public void onClientConnected(ClientInfo client) {
        if (events.contains(Event.CLIENT_CONNECTED)) {
            post(MessageJson.client("client.connected", client, node,
                    System.currentTimeMillis()));
        }
    }

    @Override
    @NonBlocking
    public void onClientDisconnected(ClientInfo client, DisconnectInfo disconnect) {
        if (events.contains(Event.CLIENT_DISCONNECTED)) {
            post(MessageJson.disconnected(client, disconnect, node,
                    System.currentTimeMillis()));
        }
    }

    @Override
    @NonBlocking
    public void onClientSubscribed(ClientInfo client, Subscription subscription) {
        if (events.contains(Event.SESSION_SUBSCRIBED) && filters.matchesFilter(subscription.topicFilter())) {
            ObjectNode o = MessageJson.client("session.subscribed", client, node, System.currentTimeMillis());
            o.put("topic", subscription.topicFilter());
            o.put("qos", subscription.qos());
            post(o);
        }
    }

    @Override
    @NonBlocking
    public void onClientUnsubscribed(ClientInfo client, String topicFilter) {
        if (events.contains(Event.SESSION_UNSUBSCRIBED) && filters.matchesFilter(topicFilter)) {
            ObjectNode o = MessageJson.client("session.unsubscribed", client, node, System.currentTimeMillis());
            o.put("topic", topicFilter);
            post(o);
        }
    }

    @Override
    @NonBlocking
    public void onMessagePublished(ClientInfo publisher, Message message) {
        if (events.contains(Event.MESSAGE_PUBLISH) && filters.matches(message.topic())) {
            post(MessageJson.message(new Published(publisher, message, node),
                    config.payloadBase64()));
        }
    }

    @Override
    @NonBlocking
    public void onMessageDelivered(ClientInfo subscriber, Message message) {
        messageTo(Event.MESSAGE_DELIVERED, subscriber, message, null);
    }

    @Override
    @NonBlocking
    public void onMessageAcked(ClientInfo subscriber, Message message) {
        messageTo(Event.MESSAGE_ACKED, subscriber, message, null);
    }

    @Override
    @NonBlocking
    public void onMessageDropped(ClientInfo subscriber, Message message, DropReason reason) {
        messageTo(Event.MESSAGE_DROPPED, subscriber, message, reason);
    }

    /** A message event about a subscriber: the message's fields, and the subscriber's identifier and user name. */
    private void messageTo(Event event, ClientInfo subscriber, Message message, DropReason reason) {
        if (events.contains(event) && filters.matches(message.topic())) {
            ObjectNode o = MessageJson.message(new Published(null, message, node), config.payloadBase64());
            o.put("event", event.id);
            o.put("from_clientid", message.publisherId());
            o.put("clientid", subscriber == null ? null : subscriber.clientId());
            o.put("username", subscriber == null ? null : subscriber.username());
            o.remove("peername");
            if (reason != null) {
                o.put("reason", reason.name().toLowerCase(Locale.ROOT));
            }
            post(o);
        }
    }

    @Override
    public void close() {
        buffer.closeAndCountLost(config.shutdownTimeout());
    }

    /** Posts batches as JSON arrays; a 2xx answer is success, 408, 429 and 5xx are retried, other answers drop. */
    static final class HttpPoster implements Batcher.Sink<ObjectNode> {
        private final Config config;
        private final URI uri;
        private final HttpClient http;
        private final PluginMetrics.Counter rejected;
        private final org.slf4j.Logger log;

        HttpPoster(Config config, URI uri, PluginMetrics.Counter rejected, org.slf4j.Logger log) {
            this.config = config;
            this.uri = uri;
            this.rejected = rejected;
            this.log = log;
            this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
        }

        @Override
        public void write(List<ObjectNode> batch) throws Exception {
            ArrayNode array = MessageJson.MAPPER.createArrayNode();
            batch.forEach(array::add);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.requestTimeout())
                    .header("Content-Type", "application/json")
                    .method(config.method().name(),
                            HttpRequest.BodyPublishers.ofByteArray(MessageJson.MAPPER.writeValueAsBytes(array)));
            config.headers().forEach(request::header);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return;
            }
            if (status == 408 || status == 429 || status >= 500) {
                throw new java.io.IOException("HTTP " + status + " from " + uri);
            }
            rejected.add(batch.size());
            log.warn("Webhook: {} answered HTTP {} to a batch of {} event(s); dropped (not retried)", uri, status,
                    batch.size());
        }
    }
}
