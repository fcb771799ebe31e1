package io.mast.auth.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mast.auth.AclRules;
import io.mast.auth.AnswerCache;
import io.mast.auth.ClientValues;
import io.mast.auth.Flags;
import io.mast.auth.GrantingAuthPlugin;
import io.mast.auth.HttpClients;
import io.mast.auth.TlsClient;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Default;
import io.mast.plugin.Reason;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Logins decided by the user's HTTP service, asked as EMQX's HTTP authenticator asks it, so a service written for EMQX
 * works unchanged.
 *
 * <pre>{@code
 * io.mast.auth.http.HttpAuthPlugin:
 *   url: https://auth.example.com/mqtt/login
 *   method: post
 *   headers: {authorization: "Bearer s3cret"}
 *   body: {username: "${username}", password: "${password}", clientid: "${clientid}", peerhost: "${peerhost}"}
 *   request_timeout: 3s
 *   cache_ttl: 30s
 * }</pre>
 *
 * The service answers:
 * <ul>
 *   <li>200 with {@code {"result": "allow"}} (optionally {@code "is_superuser": true}, {@code "acl": [rules]} in
 *       EMQX's format, {@code "expire_at": <unix seconds>}): allowed; the rules then decide this connection's
 *       SUBSCRIBE and PUBLISH, and at {@code expire_at} the client is disconnected;</li>
 *   <li>200 with {@code {"result": "deny"}}: refused with 0x87 Not authorized;</li>
 *   <li>204 No Content: allowed;</li>
 *   <li>200 with {@code {"result": "ignore"}}, or without a result: no opinion (abstain);</li>
 *   <li>anything else (another status, a body that is not JSON or a form, no answer within
 *       {@code request_timeout}, the service down): a failure, decided by {@code failed_action} (deny: 0x88
 *       Server unavailable; ignore: the next plugin decides, as EMQX does).</li>
 * </ul>
 * An answer that allows with a broken {@code acl} or an {@code expire_at} in the past refuses with 0x86, as EMQX
 * does. With {@code cache_ttl}, answers are kept by the values the request was made of (the password included).
 */
public final class HttpAuthPlugin extends GrantingAuthPlugin {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AuthDecision DENIED = AuthDecision.deny(Reason.NOT_AUTHORIZED,
            "refused by the authentication service");

    /**
     * Options.
     *
     * @param url            the URL; may hold placeholders (percent-encoded)
     * @param method         {@code post} (default) or {@code get}
     * @param headers        request headers; values may hold placeholders; {@code content-type} chooses a JSON
     *                       (default) or form body
     * @param body           the fields sent: JSON, a form, or with GET the URL's query (default: username, password,
     *                       clientid, peerhost)
     * @param connectTimeout how long opening a connection may take
     * @param requestTimeout how long a request may take, waiting for the answer included
     * @param poolSize       the most requests at once (more wait for a free one, within {@code request_timeout})
     * @param tls            TLS for an {@code https} URL
     * @param cacheTtl       how long an answer is kept; 0 (default) asks at every login
     * @param cacheMaxSize   the most answers kept
     */
    public record Config(String url, @Default("post") HttpMethod method, Map<String, String> headers,
                         Map<String, Object> body, @Default("3s") Duration connectTimeout,
                         @Default("3s") Duration requestTimeout, @Default("32") int poolSize,
                         Optional<TlsClient> tls, @Default("0s") Duration cacheTtl,
                         @Default("100000") long cacheMaxSize) {
        public Config {
            headers = headers == null ? Map.of() : headers;
            if (body == null) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("username", "${username}");
                b.put("password", "${password}");
                b.put("clientid", "${clientid}");
                b.put("peerhost", "${peerhost}");
                body = b;
            }
            if (poolSize < 1) {
                throw new IllegalArgumentException("pool_size must be at least 1, got " + poolSize);
            }
        }
    }

    /** What the service said. */
    private record Answer(AuthDecision.Kind result, boolean superuser, AclRules rules, long expiresAt,
                          AuthDecision refusal) {
        static final Answer ALLOW = new Answer(AuthDecision.Kind.ALLOW, false, AclRules.NONE, 0, null);
        static final Answer IGNORE = new Answer(AuthDecision.Kind.ABSTAIN, false, AclRules.NONE, 0, null);

        static Answer refuse(AuthDecision refusal) {
            return new Answer(AuthDecision.Kind.DENY, false, AclRules.NONE, 0, refusal);
        }
    }

    private final RequestTemplate request;
    private final HttpClient client;
    private final Semaphore permits;
    private final long requestTimeoutMs;
    private final AnswerCache<List<String>, Answer> cache;

    public HttpAuthPlugin(BrokerContext context) {
        super(context, "the authentication service's acl");
        Config c = config(Config.class);
        request = new RequestTemplate(c.method(), c.url(), c.headers(), c.body(), ClientValues.CONNECT,
                c.requestTimeout());
        client = HttpClients.create(c.tls().orElse(TlsClient.DEFAULT), c.connectTimeout());
        permits = new Semaphore(c.poolSize());
        requestTimeoutMs = c.requestTimeout().toMillis();
        cache = AnswerCache.create(c.cacheTtl(), c.cacheMaxSize(), context.metrics(), "cache");
    }

    @Override
    public AuthDecision authenticate(ConnectInfo connect) throws Exception {
        if (connect.authenticationMethod() != null) {
            return AuthDecision.abstain();
        }
        List<String> key = ClientValues.values(connect, request.placeholders());
        Answer a = cache.get(key, k -> ask(connect));
        if (a.expiresAt() > 0 && a.expiresAt() <= System.currentTimeMillis()) {
            cache.forget(key); // a kept answer whose login has expired since: ask again
            a = ask(connect);
        }
        return switch (a.result()) {
            case ALLOW -> accept(connect, a.superuser(), a.rules(), a.expiresAt());
            case DENY -> a.refusal();
            default -> AuthDecision.abstain();
        };
    }

    private Answer ask(ConnectInfo connect) throws IOException, InterruptedException {
        HttpRequest r = request.request(connect);
        if (!permits.tryAcquire(requestTimeoutMs, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("no free connection to " + request.describe() + " within the request "
                    + "timeout (pool_size requests are already waiting)");
        }
        HttpResponse<String> response;
        try {
            response = client.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException(request.describe() + ": " + e, e); // the log names the service, and why
        } finally {
            permits.release();
        }
        return switch (response.statusCode()) {
            case 204 -> Answer.ALLOW;
            case 200 -> answer(fields(response));
            default -> throw new IllegalStateException(request.describe() + " answered HTTP " + response.statusCode());
        };
    }

    /** The answer's fields, from JSON or a form. */
    private Map<String, Object> fields(HttpResponse<String> response) throws IOException {
        String type = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json")) {
            Object parsed = JSON.readValue(response.body(), Object.class);
            if (!(parsed instanceof Map<?, ?> m)) {
                throw new IllegalStateException(request.describe() + " answered JSON that is not an object");
            }
            Map<String, Object> out = new HashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        if (type.startsWith("application/x-www-form-urlencoded")) {
            Map<String, Object> out = new HashMap<>();
            for (String pair : response.body().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return out;
        }
        throw new IllegalStateException(request.describe() + " answered with content-type \"" + type
                + "\"; expected application/json or application/x-www-form-urlencoded");
    }

    private static Answer answer(Map<String, Object> body) {
        String result = String.valueOf(body.getOrDefault("result", "ignore")).toLowerCase(Locale.ROOT);
        if (result.equals("deny")) {
            return Answer.refuse(DENIED);
        }
        if (!result.equals("allow")) {
            return Answer.IGNORE;
        }
        AclRules rules = AclRules.NONE;
        long expiresAt = 0;
        try {
            if (body.get("acl") != null) {
                rules = AclRules.parse(body.get("acl"));
            }
            if (body.get("expire_at") != null) {
                expiresAt = expireAt(body.get("expire_at"));
            }
        } catch (IllegalArgumentException e) {
            return Answer.refuse(AuthDecision.deny(Reason.BAD_USER_NAME_OR_PASSWORD,
                    "the authentication service's answer is not valid: " + e.getMessage()));
        }
        return new Answer(AuthDecision.Kind.ALLOW, Flags.truthy(body.get("is_superuser")), rules, expiresAt, null);
    }

    /** {@code expire_at}: Unix seconds in the future, as EMQX takes it. */
    private static long expireAt(Object v) {
        if (!(v instanceof Number n) || n.longValue() != n.doubleValue()) {
            throw new IllegalArgumentException("expire_at must be an integer (Unix time in seconds), got " + v);
        }
        long seconds = n.longValue();
        long now = System.currentTimeMillis();
        if (seconds * 1000 <= now) {
            throw new IllegalArgumentException("expire_at is in the past: " + seconds);
        }
        if (seconds > now / 2) {
            throw new IllegalArgumentException("expire_at does not look like Unix time in seconds: " + seconds);
        }
        return seconds * 1000;
    }

    @Override
    public void close() {
        super.close();
        client.close();
    }
}
