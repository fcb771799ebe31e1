package io.mast.postgres;

import io.mast.integration.MessageJson;
import io.mast.integration.MessageVariables;
import io.mast.integration.Published;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An SQL statement with {@code ${name}} placeholders, each bound as a parameter (never pasted into the text): the
 * message placeholders of {@link MessageVariables} as text (which PostgreSQL reads as the column's type), and typed
 * ones: {@code ${qos}} an integer, {@code ${retain}} a boolean, {@code ${timestamp}} a {@code timestamptz},
 * {@code ${payload_bytes}} the payload's bytes ({@code bytea}), {@code ${properties}} the MQTT 5.0 properties as a
 * JSON object ({@code jsonb}). Placeholders inside quotes are placeholders too: do not quote them.
 */
final class SqlTemplate {

    /** Binds one parameter. */
    interface Binder {
        void bind(PreparedStatement ps, int index, Published p) throws SQLException;
    }

    private final String sql;
    private final List<Binder> binders;

    private SqlTemplate(String sql, List<Binder> binders) {
        this.sql = sql;
        this.binders = binders;
    }

    static SqlTemplate compile(String text) {
        StringBuilder sql = new StringBuilder();
        List<Binder> binders = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            if (start < 0) {
                sql.append(text, i, text.length());
                break;
            }
            int end = text.indexOf('}', start);
            if (end < 0) {
                throw new IllegalArgumentException("unclosed placeholder at \"" + text.substring(start) + "\"");
            }
            sql.append(text, i, start).append('?');
            binders.add(binder(text.substring(start + 2, end).trim()));
            i = end + 1;
        }
        if (binders.isEmpty()) {
            throw new IllegalArgumentException("the statement has no placeholder such as ${topic}: every message "
                    + "would write the same row");
        }
        return new SqlTemplate(sql.toString(), List.copyOf(binders));
    }

    private static Binder binder(String name) {
        switch (name) {
            case "qos":
                return (ps, i, p) -> ps.setInt(i, p.message().qos());
            case "retain":
                return (ps, i, p) -> ps.setBoolean(i, p.message().retain());
            case "timestamp":
                return (ps, i, p) -> ps.setObject(i, StatusWriter.time(p.message().timestamp()));
            case "payload_bytes":
                return (ps, i, p) -> ps.setBytes(i, p.message().payload());
            case "properties":
                return (ps, i, p) -> ps.setString(i, MessageJson.properties(p.message()).toString());
            default:
                Function<Published, String> text = MessageVariables.INSTANCE.resolver(name);
                if (text == null) {
                    throw new IllegalArgumentException("unknown placeholder ${" + name + "}; expected one of: "
                            + MessageVariables.INSTANCE.describe() + ", payload_bytes, properties");
                }
                return (ps, i, p) -> ps.setString(i, text.apply(p));
        }
    }

    /** The statement with a {@code ?} for each placeholder. */
    String sql() {
        return sql;
    }

    /** Binds the parameters for one message (without adding it to a batch). */
    void bind(PreparedStatement ps, Published p) throws SQLException {
        for (int i = 0; i < binders.size(); i++) {
            binders.get(i).bind(ps, i + 1, p);
        }
    }
}
