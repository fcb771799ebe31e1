package io.mast.broker.admin;

import io.mast.plugin.AdminRequest;
import io.mast.plugin.AdminResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A page of a list, as EMQX's API gives them: {@code ?page=1&limit=100} (page from 1, limit 1 to 10000) and the answer
 * {@code {"data": [...], "meta": {"page": 1, "limit": 100, "count": <all>}}}.
 */
record Page(int page, int limit) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    /** The page a request asks for. */
    static Page of(AdminRequest r) {
        int page = number(r, "page", 1);
        int limit = number(r, "limit", DEFAULT_LIMIT);
        if (page < 1 || limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("page must be 1 or more and limit 1 to " + MAX_LIMIT);
        }
        return new Page(page, limit);
    }

    private static int number(AdminRequest r, String key, int byDefault) {
        String v = r.query().get(key);
        if (v == null || v.isEmpty()) {
            return byDefault;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected a number, got " + v);
        }
    }

    /** This page of {@code all}, with the meta data. */
    <T> AdminResponse of(List<T> all) {
        int from = (int) Math.min(all.size(), (long) (page - 1) * limit);
        int to = Math.min(all.size(), from + limit);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("page", page);
        meta.put("limit", limit);
        meta.put("count", all.size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", List.copyOf(all.subList(from, to)));
        body.put("meta", meta);
        return AdminResponse.ok(body);
    }
}
