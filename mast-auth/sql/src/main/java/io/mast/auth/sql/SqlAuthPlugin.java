package io.mast.auth.sql;

import io.mast.auth.AnswerCache;
import io.mast.auth.ClientValues;
import io.mast.auth.Flags;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.AuthPlugin;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Default;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Logins from a database: one query finds the client's password hash, salt and superuser flag, as EMQX's PostgreSQL
 * and MySQL authenticators do.
 *
 * <pre>{@code
 * io.mast.auth.sql.SqlAuthPlugin:
 *   database:
 *     url: jdbc:postgresql://127.0.0.1:5432/mqtt
 *     username: mast
 *     password: secret
 *   query: SELECT password_hash, salt, is_superuser FROM mqtt_user WHERE username = ${username} LIMIT 1
 *   password_hash_algorithm: {name: sha256, salt_position: suffix}
 *   cache_ttl: 30s
 * }</pre>
 *
 * <ul>
 *   <li>The query's first row: a {@code password_hash} column (or {@code password}), optionally {@code salt} and
 *       {@code is_superuser} (true, 1, 't' ...). Placeholders {@code ${username}}, {@code ${clientid}},
 *       {@code ${peerhost}}, {@code ${cert_common_name}}, {@code ${cert_subject}}, {@code ${password}} ... are bound
 *       as parameters.</li>
 *   <li>No row: no opinion (abstain), so another plugin may know the client. A row and the right password: allowed,
 *       as a superuser when {@code is_superuser} is true. A row and a wrong or missing password: refused with 0x86
 *       Bad user name or password.</li>
 *   <li>A database that is down, slow (past {@code query_timeout}) or a row whose hash cannot be read: a failure,
 *       which the plugin's {@code failed_action} decides (deny: 0x88 Server unavailable; ignore: the next plugin).</li>
 *   <li>With {@code cache_ttl} above zero, the row found for a set of values is kept that long, a missing row too, so
 *       logins do not ask the database again; the password is still checked against it every time.</li>
 *   <li>MQTT 5.0 enhanced authentication is not this plugin's: it abstains.</li>
 * </ul>
 */
public final class SqlAuthPlugin extends BrokerPlugin implements AuthPlugin {

    /**
     * Options.
     *
     * @param database              the database
     * @param query                 the query template
     * @param passwordHashAlgorithm how the hashes were made (default: sha256, salt prefix)
     * @param cacheTtl              how long a row is kept; 0 (the default) asks the database at every login
     * @param cacheMaxSize          the most rows kept
     */
    public record Config(Database database, String query, PasswordHashAlgorithm passwordHashAlgorithm,
                         @Default("0s") Duration cacheTtl, @Default("100000") long cacheMaxSize) {
        public Config {
            passwordHashAlgorithm = passwordHashAlgorithm == null ? PasswordHashAlgorithm.DEFAULT
                    : passwordHashAlgorithm;
        }
    }

    /** A user's row. */
    private record Row(String hash, byte[] salt, boolean superuser) {
    }

    private final Config config;
    private final SqlQuery query;
    private final Pool pool;
    private final AnswerCache<List<String>, Optional<Row>> cache;
    private final int timeoutSeconds;

    public SqlAuthPlugin(BrokerContext context) {
        super(context);
        config = config(Config.class);
        query = new SqlQuery(config.query(), ClientValues.CONNECT);
        cache = AnswerCache.create(config.cacheTtl(), config.cacheMaxSize(), context.metrics(), "cache");
        timeoutSeconds = seconds(config.database().queryTimeout());
        pool = Pool.open(config.database(), context);
    }

    static int seconds(Duration d) {
        return (int) Math.max(1, (d.toMillis() + 999) / 1000);
    }

    @Override
    public AuthDecision authenticate(ConnectInfo connect) throws Exception {
        if (connect.authenticationMethod() != null) {
            return AuthDecision.abstain();
        }
        List<String> values = query.values(connect);
        Optional<Row> row = cache.get(values, this::find);
        if (row.isEmpty()) {
            return AuthDecision.abstain();
        }
        byte[] password = connect.password();
        if (password == null) {
            return AuthDecision.badCredentials();
        }
        Row r = row.get();
        boolean ok;
        try {
            ok = config.passwordHashAlgorithm().verify(r.hash(), r.salt(), password);
        } catch (IllegalArgumentException e) {
            String scheme = config.passwordHashAlgorithm().name().name().toLowerCase(Locale.ROOT);
            throw new IllegalStateException("the password_hash of " + connect.username() + " is not a " + scheme
                    + " hash: " + e.getMessage(), e);
        }
        if (!ok) {
            return AuthDecision.badCredentials();
        }
        return r.superuser() ? AuthDecision.allowSuperuser() : AuthDecision.allow();
    }

    private Optional<Row> find(List<String> values) throws Exception {
        List<Map<String, Object>> rows = query.run(pool.dataSource(), values, timeoutSeconds, 1);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> row = rows.get(0);
        Object hash = row.containsKey("password_hash") ? row.get("password_hash") : row.get("password");
        if (hash == null) {
            throw new IllegalStateException("the query returned no password_hash column (or it is NULL): " + query);
        }
        return Optional.of(new Row(text(hash), bytes(row.get("salt")), Flags.truthy(row.get("is_superuser"))));
    }

    private static String text(Object v) {
        return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString();
    }

    private static byte[] bytes(Object v) {
        return v == null ? null : v instanceof byte[] b ? b : v.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        pool.close();
    }
}
