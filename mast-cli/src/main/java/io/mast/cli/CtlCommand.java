package io.mast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code mast ctl}: manages a running broker through its admin API (the {@code admin:} section of its config), as
 * {@code emqx ctl} does. Exit codes: 0 done, 1 the broker refused or failed the request, 2 the admin API cannot be
 * reached.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true,
        description = {"Manages a running broker through its admin API (admin: in the broker's config).",
                "Exit codes: 0 done, 1 the broker refused or failed the request, 2 the admin API cannot be reached."},
        subcommands = {CtlCommand.Status.class, CtlCommand.Metrics.class, CtlCommand.Plugins.class,
                CtlBrokerCommands.Clients.class, CtlBrokerCommands.Subscriptions.class, CtlBrokerCommands.Retained.class,
                CtlBrokerCommands.Log.class, CtlCommand.Exhook.class, CtlCommand.Get.class})
public final class CtlCommand {

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:MAST_ADMIN_URL:-http://127.0.0.1:18083}",
            description = "The admin API's address (default: $MAST_ADMIN_URL, else ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            defaultValue = "${env:MAST_ADMIN_TOKEN}",
            description = "The token of admin.token (default: $MAST_ADMIN_TOKEN).")
    String token;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the API's JSON answer as it is.")
    boolean json;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A failed request: what to print and the exit code. */
    static final class Failure extends Exception {
        final int code;

        Failure(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** Sends a request; the answer's JSON, or a {@link Failure}. */
    JsonNode call(String method, String path, Object body) throws Failure {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        URI uri;
        try {
            uri = URI.create(base + "/api/v1/" + path);
        } catch (IllegalArgumentException e) {
            throw new Failure(2, "--url " + url + " is not a URL: " + e.getMessage());
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(40))
                .header("Accept", "application/json");
        if (token != null && !token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            HttpResponse<byte[]> res;
            try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
                res = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            }
            JsonNode answer = res.body().length == 0 ? JSON.nullNode() : JSON.readTree(res.body());
            if (res.statusCode() >= 300) {
                String message = answer.path("message").asText("HTTP " + res.statusCode());
                throw new Failure(res.statusCode() == 401 ? 2 : 1, message);
            }
            return answer;
        } catch (ConnectException e) {
            throw new Failure(2, "cannot reach the admin API at " + base + " (connection refused); is the broker "
                    + "running, with an admin: section in its config?");
        } catch (HttpTimeoutException e) {
            throw new Failure(2, "the admin API at " + base + " did not answer in time");
        } catch (IOException e) {
            throw new Failure(2, "cannot talk to the admin API at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(2, "interrupted");
        }
    }

    /** Runs a request and prints its answer with {@code human} (or as JSON with --json). */
    int run(CommandSpec spec, String method, String path, Object body, Printer human) {
        PrintWriter out = spec.commandLine().getOut();
        try {
            JsonNode answer = call(method, path, body);
            if (json) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
            } else {
                human.print(answer, out);
            }
            out.flush();
            return 0;
        } catch (Failure f) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("Error: " + f.getMessage());
            err.flush();
            return f.code;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Prints an answer for people. */
    @FunctionalInterface
    interface Printer {
        void print(JsonNode answer, PrintWriter out) throws IOException;
    }

    /** Prints an object as {@code key: value} lines, nested objects as {@code outer.inner: value}. */
    static void printFields(JsonNode node, String prefix, PrintWriter out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                printFields(v, prefix + e.getKey() + ".", out);
            } else {
                out.println(prefix + e.getKey() + ": " + text(v));
            }
        }
    }

    /** A value as one word or line: arrays joined with commas, null as -. */
    static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "-";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(text(x)));
            return parts.isEmpty() ? "-" : String.join(",", parts);
        }
        return v.asText();
    }

    /** Prints rows under a header, each column as wide as its widest cell. */
    static void printTable(List<String[]> rows, PrintWriter out) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A subcommand of {@code mast ctl}: its parent's options and its own output. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        CtlCommand ctl;
        @Spec
        CommandSpec spec;
    }

    /** A subcommand of {@code mast ctl exhook} about one server. */
    abstract static class OnServer implements Callable<Integer> {
        @ParentCommand
        Exhook exhook;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "The server's name.")
        String name;

        String path() {
            return "exhooks/" + segment(name);
        }

        /** Enables or disables the server and prints its status. */
        int enable(boolean on) {
            return exhook.ctl.run(spec, "PUT", path(), Map.of("enable", on),
                    (a, out) -> out.println(name + ": " + text(a.get("status"))));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "The broker's name, version, uptime, "
            + "connections and sessions.")
    static final class Status extends Sub {

        @Override
        public Integer call() {
            return ctl.run(spec, "GET", "status", null, (a, out) -> printFields(a, "", out));
        }
    }

    @Command(name = "metrics", mixinStandardHelpOptions = true, description = "The broker's metrics, plugins' and "
            + "hook servers' included, one 'name value' per line.")
    static final class Metrics extends Sub {
        @Parameters(arity = "0..1", paramLabel = "PREFIX", description = "Only the metrics whose name starts so.")
        String prefix;

        @Override
        public Integer call() {
            String path = prefix == null ? "metrics" : "metrics?prefix=" + segment(prefix);
            return ctl.run(spec, "GET", path, null, (a, out) -> a.fields()
                    .forEachRemaining(e -> out.println(e.getKey() + " " + e.getValue().asText())));
        }
    }

    @Command(name = "plugins", mixinStandardHelpOptions = true, description = "The loaded plugins, in config order.")
    static final class Plugins extends Sub {

        @Override
        public Integer call() {
            return ctl.run(spec, "GET", "plugins", null, (a, out) -> a.forEach(p -> out.println(p.path("name")
                    .asText())));
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "GETs any path of the API (e.g. a "
            + "plugin's resource) and prints its JSON.")
    static final class Get extends Sub {
        @Parameters(paramLabel = "PATH", description = "The path after /api/v1/, e.g. exhooks/local/hooks.")
        String path;

        @Override
        public Integer call() {
            String p = path.startsWith("/") ? path.substring(1) : path;
            return ctl.run(spec, "GET", p, null, (a, out) ->
                    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(a)));
        }
    }

    /** {@code mast ctl exhook ...}: the ExHook servers (as {@code emqx ctl exhook} in EMQX 4). */
    @Command(name = "exhook", mixinStandardHelpOptions = true, description = "Lists, shows, enables, disables and "
            + "reorders the ExHook servers.",
            subcommands = {ExhookList.class, ExhookShow.class, ExhookHooks.class, ExhookEnable.class,
                    ExhookDisable.class, ExhookMove.class})
    static final class Exhook {
        @ParentCommand
        CtlCommand ctl;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every server in call order, with its "
            + "status, the hooks it registered and its calls.")
    static final class ExhookList implements Callable<Integer> {
        @ParentCommand
        Exhook exhook;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return exhook.ctl.run(spec, "GET", "exhooks", null, (a, out) -> {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"NAME", "STATUS", "HOOKS", "SUCCEEDED", "FAILED", "TIMED_OUT", "DROPPED",
                        "URLS"});
                for (JsonNode s : a) {
                    JsonNode m = s.path("metrics");
                    rows.add(new String[] {text(s.get("name")), text(s.get("status")),
                            String.valueOf(s.path("hooks").size()), text(m.get("succeeded")), text(m.get("failed")),
                            text(m.get("timed_out")), text(m.get("dropped")), text(s.get("urls"))});
                }
                printTable(rows, out);
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One server's status, settings, hooks "
            + "and calls.")
    static final class ExhookShow extends OnServer {
        @Override
        public Integer call() {
            return exhook.ctl.run(spec, "GET", path(), null, (a, out) -> printFields(a, "", out));
        }
    }

    @Command(name = "hooks", mixinStandardHelpOptions = true, description = "The hooks a server registered, with "
            + "their topics, calls and mean latency.")
    static final class ExhookHooks extends OnServer {
        @Override
        public Integer call() {
            return exhook.ctl.run(spec, "GET", path() + "/hooks", null, (a, out) -> {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"HOOK", "TOPICS", "SUCCEEDED", "FAILED", "TIMED_OUT", "DROPPED",
                        "AVG_LATENCY_US"});
                for (JsonNode h : a) {
                    JsonNode m = h.path("metrics");
                    rows.add(new String[] {text(h.get("name")), text(h.get("topics")), text(m.get("succeeded")),
                            text(m.get("failed")), text(m.get("timed_out")), text(m.get("dropped")),
                            text(m.get("avg_latency_us"))});
                }
                printTable(rows, out);
            });
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Calls a disabled server again; "
            + "returns once it was loaded (OnProviderLoaded) or failed, and prints its status.")
    static final class ExhookEnable extends OnServer {
        @Override
        public Integer call() {
            return enable(true);
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Stops calling a server (it gets "
            + "OnProviderUnloaded; with command, its process is stopped).")
    static final class ExhookDisable extends OnServer {
        @Override
        public Integer call() {
            return enable(false);
        }
    }

    @Command(name = "move", mixinStandardHelpOptions = true, description = "Changes the order servers are called "
            + "in, and prints the new order.")
    static final class ExhookMove extends OnServer {
        @Parameters(index = "1", paramLabel = "POSITION", description = "front, rear, before:<name> or after:<name>.")
        String position;

        @Override
        public Integer call() {
            return exhook.ctl.run(spec, "POST", path() + "/move", Map.of("position", position),
                    (a, out) -> out.println(text(a.get("order")).replace(",", " ")));
        }
    }
}
