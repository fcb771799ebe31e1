package io.mast.auth.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mast.auth.ClientValues;
import io.mast.integration.Template;
import io.mast.plugin.ClientInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The request a client's values make, as EMQX's HTTP sources make it: the URL, the headers and the body are templates
 * ({@code ${username}} ...). With POST the body is sent as JSON ({@code content-type: application/json}, the
 * default) or as a form ({@code application/x-www-form-urlencoded}); with GET its fields are added to the URL's query.
 * Values are escaped for where they go (URL, form, JSON), so no value can change the request's shape; a value with a
 * line break is refused in a header.
 */
final class RequestTemplate {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpMethod method;
    private final Template<ClientInfo> url;
    private final Map<String, Template<ClientInfo>> headers;
    private final Map<String, Object> body;
    private final boolean form;
    private final Duration timeout;
    private final Set<String> used = new LinkedHashSet<>();

    /**
     * @param body field name to value: a template (a string), or a nested object of them for a JSON body
     * @throws IllegalArgumentException for an unknown placeholder or a body that does not fit the content type
     */
    RequestTemplate(HttpMethod method, String url, Map<String, String> headers, Map<String, Object> body,
                    Set<String> placeholders, Duration timeout) {
        this.method = method;
        this.timeout = timeout;
        this.url = parse(url, placeholders, RequestTemplate::encode, "url");
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("url must start with http:// or https://, got " + url);
        }
        Map<String, Template<ClientInfo>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), parse(v, placeholders, x -> x, "headers." + k)));
        String contentType = h.containsKey("content-type") ? h.get("content-type").toString() : null;
        if (method == HttpMethod.GET && contentType != null) {
            throw new IllegalArgumentException("headers: a GET request has no body, so no content-type");
        }
        if (method == HttpMethod.POST && contentType == null) {
            h.put("content-type", parse("application/json", Set.of(), x -> x, "headers.content-type"));
            contentType = "application/json";
        }
        this.form = contentType != null && contentType.startsWith("application/x-www-form-urlencoded");
        if (contentType != null && !form && !contentType.startsWith("application/json")) {
            throw new IllegalArgumentException("headers.content-type must be application/json or "
                    + "application/x-www-form-urlencoded, got " + contentType);
        }
        this.headers = h;
        this.body = compile(body, placeholders, "body", method == HttpMethod.POST && !form);
    }

    private Template<ClientInfo> parse(String text, Set<String> placeholders, UnaryOperator<String> encode,
                                       String where) {
        try {
            return Template.compile(text, ClientValues.variables(placeholders, encode, used));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Object> compile(Map<String, Object> fields, Set<String> placeholders, String where,
                                        boolean nested) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            String at = where + "." + e.getKey();
            Object v = e.getValue();
            if (v instanceof String s) {
                out.put(e.getKey(), parse(s, placeholders, x -> x, at));
            } else if (v instanceof Map<?, ?> m && nested) {
                Map<String, Object> inner = new LinkedHashMap<>();
                m.forEach((k, x) -> inner.put(String.valueOf(k), x));
                out.put(e.getKey(), compile(inner, placeholders, at, true));
            } else if (v instanceof Number || v instanceof Boolean || v == null) {
                out.put(e.getKey(), v);
            } else {
                throw new IllegalArgumentException(at + ": expected a text" + (nested ? ", a number or an object"
                        : " or a number (a form or a GET query is flat)"));
            }
        }
        return out;
    }

    /** The placeholders the request uses, each once: the values that make up the key of a cached answer. */
    List<String> placeholders() {
        return List.copyOf(used);
    }

    /** The request for this client. */
    HttpRequest request(ClientInfo client) {
        String u = url.render(client);
        String payload = null;
        if (!body.isEmpty() || method == HttpMethod.POST) {
            if (method == HttpMethod.GET || form) {
                StringBuilder q = new StringBuilder();
                flat(body, client).forEach((k, v) -> q.append(q.isEmpty() ? "" : "&").append(encode(k)).append('=')
                        .append(encode(v)));
                if (method == HttpMethod.GET) {
                    u = q.isEmpty() ? u : u + (u.contains("?") ? "&" : "?") + q;
                } else {
                    payload = q.toString();
                }
            } else {
                try {
                    payload = JSON.writeValueAsString(render(body, client));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(u)).timeout(timeout);
        headers.forEach((name, t) -> {
            String v = t.render(client);
            if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("the value of header " + name + " has a line break");
            }
            b.header(name, v);
        });
        b.method(method.name(), payload == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static String text(Object field, ClientInfo client) {
        return field instanceof Template<?> t ? ((Template<ClientInfo>) t).render(client) : String.valueOf(field);
    }

    private static Map<String, String> flat(Map<String, Object> fields, ClientInfo client) {
        Map<String, String> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, text(v, client)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> render(Map<String, Object> fields, ClientInfo client) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            Object v = e.getValue();
            out.put(e.getKey(), v instanceof Template<?> ? text(v, client)
                    : v instanceof Map<?, ?> m ? render((Map<String, Object>) m, client) : v);
        }
        return out;
    }

    /** Percent-encoding for a URL's path or query and for a form. */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The request as logs may show it: method and URL without its query (which may carry a password). */
    String describe() {
        String u = url.toString();
        int q = u.indexOf('?');
        return method + " " + (q < 0 ? u : u.substring(0, q));
    }
}
