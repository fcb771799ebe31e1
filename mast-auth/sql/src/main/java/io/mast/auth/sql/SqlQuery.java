package io.mast.auth.sql;

import io.mast.auth.ClientValues;
import io.mast.integration.Template;
import io.mast.plugin.ClientInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A query template of a SQL plugin: {@code ... WHERE username = ${username}}. Each placeholder becomes a bound
 * parameter ({@code ?}) of a prepared statement, never text put into the SQL, so a user name like
 * {@code ' OR '1'='1} is only ever compared as a value. As in every template, {@code $$} is a literal {@code $}.
 */
final class SqlQuery {

    private final String template;
    private final String sql;
    private final List<String> names;

    SqlQuery(String template, Set<String> allowed) {
        this.template = template;
        List<String> used = new ArrayList<>();
        // Each placeholder becomes "?", and its name the next parameter.
        this.sql = Template.compile(template, ClientValues.variables(allowed, v -> "?", used)).render(null);
        this.names = List.copyOf(used);
    }

    /** The values the query is asked with for a client, in parameter order: also the key of its cached answer. */
    List<String> values(ClientInfo client) {
        return ClientValues.values(client, names);
    }

    /**
     * Runs the query; each row is a map from column label (lower case) to value.
     *
     * @param maxRows the most rows read
     */
    List<Map<String, Object>> run(DataSource ds, List<String> values, int timeoutSeconds, int maxRows)
            throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setQueryTimeout(timeoutSeconds);
            st.setMaxRows(maxRows);
            for (int i = 0; i < values.size(); i++) {
                st.setString(i + 1, values.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    @Override
    public String toString() {
        return template;
    }
}
