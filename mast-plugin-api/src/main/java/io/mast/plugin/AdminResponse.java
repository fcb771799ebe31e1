package io.mast.plugin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer of an {@link AdminResource}: an HTTP status and a body written as JSON.
 *
 * @param status the HTTP status: 200, 204, 400, 404 ...
 * @param body   maps, lists, strings, numbers, booleans and nulls, written as JSON; null for no body
 */
public record AdminResponse(int status, Object body) {

    public AdminResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("an HTTP status is 100 to 599, not " + status);
        }
    }

    /** 200 with a body. */
    public static AdminResponse ok(Object body) {
        return new AdminResponse(200, body);
    }

    /** 204, no body. */
    public static AdminResponse noContent() {
        return new AdminResponse(204, null);
    }

    /**
     * An error, with the body {@code {"code": code, "message": message}} as EMQX's REST API writes errors.
     *
     * @param status  the HTTP status, e.g. 400 or 404
     * @param code    a word in capitals for programs, e.g. {@code NOT_FOUND} or {@code BAD_REQUEST}
     * @param message one line for people
     */
    public static AdminResponse error(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return new AdminResponse(status, body);
    }

    /** 404 {@code NOT_FOUND}. */
    public static AdminResponse notFound(String message) {
        return error(404, "NOT_FOUND", message);
    }

    /** 400 {@code BAD_REQUEST}. */
    public static AdminResponse badRequest(String message) {
        return error(400, "BAD_REQUEST", message);
    }
}
