package io.mast.broker.admin;

import io.mast.plugin.AdminRequest;
import io.mast.plugin.AdminResource;
import io.mast.plugin.AdminResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * {@code /api/v1/log/levels}: {@code GET} the levels set on loggers; {@code PUT} {@code {"logger": "io.mast.exhook",
 * "level": "debug"}} sets one ({@code "level": null} makes it inherit again); the root is {@code ROOT}.
 */
final class LogResource implements AdminResource {

    private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace", "off");

    private final AdminServices core;

    LogResource(AdminServices core) {
        this.core = core;
    }

    @Override
    public CompletionStage<AdminResponse> handle(AdminRequest r) {
        if (!r.path().equals(List.of("levels"))) {
            return ClientsResource.done(AdminResponse.notFound("no such path: /api/v1/log/" + String.join("/", r.path())
                    + " (there is /api/v1/log/levels)"));
        }
        LogLevels levels = core.logLevels().get();
        if (levels == null) {
            return ClientsResource.done(AdminResponse.error(501, "NOT_IMPLEMENTED",
                    "this broker's log levels cannot be changed (it is embedded without the mast command's logging)"));
        }
        return ClientsResource.done(switch (r.method()) {
            case "GET" -> AdminResponse.ok(levels.levels());
            case "PUT", "POST" -> set(levels, r.body());
            default -> AdminResponse.error(405, "METHOD_NOT_ALLOWED", "GET or PUT /api/v1/log/levels");
        });
    }

    private static AdminResponse set(LogLevels levels, Object body) {
        if (!(body instanceof Map<?, ?> m) || !(m.get("logger") instanceof String logger) || logger.isBlank()) {
            return AdminResponse.badRequest("expected {\"logger\": \"<name or ROOT>\", \"level\": \"debug\"}");
        }
        Object given = m.get("level");
        String level = given == null ? null : given.toString().toLowerCase(Locale.ROOT);
        if (level != null && !LEVELS.contains(level)) {
            return AdminResponse.badRequest("level: expected one of error, warn, info, debug, trace, off, or null; got "
                    + given);
        }
        boolean root = logger.equalsIgnoreCase("root");
        if (level == null && root) {
            return AdminResponse.badRequest("level: the root logger needs a level");
        }
        levels.level(root ? "ROOT" : logger, level);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("logger", root ? "ROOT" : logger);
        out.put("level", level);
        return AdminResponse.ok(out);
    }
}
