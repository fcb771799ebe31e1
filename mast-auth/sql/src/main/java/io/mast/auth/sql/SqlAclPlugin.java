package io.mast.auth.sql;

import io.mast.auth.AclRule;
import io.mast.auth.AclRules;
import io.mast.auth.AnswerCache;
import io.mast.auth.ClientValues;
import io.mast.plugin.AsyncPublishPlugin;
import io.mast.plugin.AsyncTopicPlugin;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.Decision;
import io.mast.plugin.Default;
import io.mast.plugin.Message;
import io.mast.plugin.PublishDecision;
import io.mast.plugin.Reason;
import io.mast.plugin.TopicAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * ACL rules from a database: a query returns the client's rules, one per row, as EMQX's PostgreSQL and MySQL
 * authorizers read them.
 *
 * <pre>{@code
 * io.mast.auth.sql.SqlAclPlugin:
 *   database: {url: jdbc:postgresql://127.0.0.1:5432/mqtt, username: mast, password: secret}
 *   query: SELECT permission, action, topic, qos, retain FROM mqtt_acl WHERE username = ${username} ORDER BY id
 *   cache_ttl: 1m
 * }</pre>
 *
 * <ul>
 *   <li>Each row: {@code permission} (allow, deny), {@code action} (publish, subscribe, all), {@code topic} (a filter;
 *       {@code ${username}}, {@code ${clientid}}, {@code %u}, {@code %c}; {@code eq <filter>} literal), and optionally
 *       {@code qos} and {@code retain} (see {@link AclRule}). Rows are checked in the query's order; the first that
 *       matches decides; none: no opinion (the other topic plugins decide, and when all abstain it is allowed).</li>
 *   <li>SUBSCRIBE is decided as a topic plugin; PUBLISH as a publish plugin, which sees the message's QoS and
 *       RETAIN flag (a denied message gets 0x87, on MQTT 5.0 with the reason "denied by the ACL query"). Both
 *       answer at once, on the network thread, from cached rules, and read the database on a virtual thread
 *       otherwise.</li>
 *   <li>The rules of a set of values (user name, client id ...) are kept for {@code cache_ttl} (default 1 minute; 0
 *       asks the database at every SUBSCRIBE and PUBLISH), so a changed rule applies within that time.</li>
 *   <li>A database that is down or slow, or a row that is not a valid rule: a failure, decided by the plugin's
 *       {@code failed_action}; rules already cached keep applying.</li>
 *   <li>Superusers are not checked.</li>
 * </ul>
 */
public final class SqlAclPlugin extends BrokerPlugin implements AsyncTopicPlugin, AsyncPublishPlugin {

    private static final Decision DENIED = Decision.deny(Reason.NOT_AUTHORIZED, "denied by the ACL query");
    private static final PublishDecision PUBLISH_DENIED = PublishDecision.deny(Reason.NOT_AUTHORIZED,
            "denied by the ACL query");

    /**
     * Options.
     *
     * @param database     the database
     * @param query        the query template
     * @param cacheTtl     how long a client's rules are kept (default 1m); 0 asks at every check
     * @param cacheMaxSize the most sets of rules kept
     * @param maxRules     the most rows read for one client
     */
    public record Config(Database database, String query, @Default("1m") Duration cacheTtl,
                         @Default("100000") long cacheMaxSize, @Default("1000") int maxRules) {
    }

    private final SqlQuery query;
    private final Pool pool;
    private final AnswerCache<List<String>, AclRules> cache;
    private final int timeoutSeconds;
    private final int maxRules;
    private final ExecutorService loaders = Executors.newVirtualThreadPerTaskExecutor();

    public SqlAclPlugin(BrokerContext context) {
        super(context);
        Config config = config(Config.class);
        query = new SqlQuery(config.query(), ClientValues.CLIENT);
        cache = AnswerCache.create(config.cacheTtl(), config.cacheMaxSize(), context.metrics(), "cache");
        timeoutSeconds = SqlAuthPlugin.seconds(config.database().queryTimeout());
        maxRules = config.maxRules();
        pool = Pool.open(config.database(), context);
    }

    /** SUBSCRIBE only: PUBLISH is checked in {@link #onPublish}, which sees the QoS and RETAIN flag. */
    @Override
    public Set<TopicAction> actions() {
        return EnumSet.of(TopicAction.SUBSCRIBE);
    }

    @Override
    public CompletionStage<Decision> authorize(ClientInfo client, TopicAction action, String topic) {
        if (client == null) {
            return CompletableFuture.completedFuture(Decision.ABSTAIN);
        }
        return rules(client).thenApply(r -> {
            AclRule.Permission p = r.check(client, action, topic, 0, false);
            return p == null ? Decision.ABSTAIN : p == AclRule.Permission.ALLOW ? Decision.ALLOW : DENIED;
        });
    }

    @Override
    public CompletionStage<PublishDecision> onPublish(ClientInfo publisher, Message message) {
        if (publisher == null || publisher.superuser()) {
            return CompletableFuture.completedFuture(PublishDecision.proceed(message));
        }
        return rules(publisher).thenApply(r -> r.check(publisher, TopicAction.PUBLISH, message.topic(), message.qos(),
                message.retain()) == AclRule.Permission.DENY ? PUBLISH_DENIED : PublishDecision.proceed(message));
    }

    /**
     * The client's rules: at once from the cache, without a thread hand-off (the common case); otherwise read from the
     * database on a virtual thread.
     */
    private CompletionStage<AclRules> rules(ClientInfo client) {
        List<String> key = query.values(client);
        AclRules kept = cache.peek(key);
        if (kept != null) {
            return CompletableFuture.completedFuture(kept);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return cache.get(key, this::load);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, loaders);
    }

    private AclRules load(List<String> values) throws Exception {
        List<Map<String, Object>> rows = query.run(pool.dataSource(), values, timeoutSeconds, maxRules);
        List<AclRule> rules = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            try {
                rules.add(AclRule.parse(rows.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("row " + (i + 1) + " of the ACL query for " + values
                        + " is not a rule: " + e.getMessage(), e);
            }
        }
        return AclRules.of(rules);
    }

    @Override
    public void close() {
        loaders.shutdown();
        pool.close();
    }
}
