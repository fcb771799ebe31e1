package io.mast.plugin;

import java.util.List;
import java.util.Map;

/**
 * A request to a plugin's {@link AdminResource}.
 *
 * @param method the HTTP method in capitals: {@code GET}, {@code PUT}, {@code POST}, {@code DELETE} ...
 * @param path   the decoded path segments after the resource's name: empty for {@code /api/v1/exhooks},
 *               {@code ["local", "move"]} for {@code /api/v1/exhooks/local/move}
 * @param query  the query parameters (the first value of each)
 * @param body   the JSON body as maps, lists, strings, numbers, booleans and nulls; null when there was none
 */
public record AdminRequest(String method, List<String> path, Map<String, String> query, Object body) {

    public AdminRequest {
        path = List.copyOf(path);
        query = Map.copyOf(query);
    }

    /** A field of a JSON object body, or null when the body is not an object or has no such field. */
    public Object field(String name) {
        return body instanceof Map<?, ?> m ? m.get(name) : null;
    }
}
