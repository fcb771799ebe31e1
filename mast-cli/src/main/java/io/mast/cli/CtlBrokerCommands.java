package io.mast.cli;

import static io.mast.cli.CtlCommand.printFields;
import static io.mast.cli.CtlCommand.printTable;
import static io.mast.cli.CtlCommand.segment;
import static io.mast.cli.CtlCommand.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mast ctl clients|subscriptions|retained|log}: the broker's clients, subscriptions, retained messages and log
 * levels, over the admin API ({@code /api/v1/clients} ... , docs/admin.md).
 */
final class CtlBrokerCommands {

    private CtlBrokerCommands() {
    }

    /** Options of the commands that list: a page of the list. */
    static final class Paging {
        @Option(names = "--page", paramLabel = "N", description = "Page of the list, from 1 (default 1).")
        int page = 1;

        @Option(names = "--limit", paramLabel = "N", description = "Rows per page (default 100, at most 10000).")
        int limit = 100;

        String query(Map<String, String> filters) {
            StringBuilder q = new StringBuilder("?page=" + page + "&limit=" + limit);
            filters.forEach((k, v) -> {
                if (v != null) {
                    q.append('&').append(k).append('=').append(segment(v));
                }
            });
            return q.toString();
        }
    }

    /** A subcommand below a group of {@code mast ctl}. */
    abstract static class Leaf implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        CtlCommand ctl() {
            Object parent = spec.parent().userObject();
            return ((Group) parent).ctl;
        }
    }

    /** A group of subcommands ({@code clients}, {@code retained} ...). */
    abstract static class Group {
        @ParentCommand
        CtlCommand ctl;
    }

    /** Prints a page's rows under a header and, when there are more, how many. */
    static void printPage(JsonNode a, PrintWriter out, String[] header, java.util.function.Function<JsonNode, String[]> row) {
        List<String[]> rows = new ArrayList<>();
        rows.add(header);
        a.path("data").forEach(d -> rows.add(row.apply(d)));
        printTable(rows, out);
        JsonNode meta = a.path("meta");
        int count = meta.path("count").asInt();
        int shown = a.path("data").size();
        if (count > shown) {
            out.println("(" + shown + " of " + count + "; page " + meta.path("page").asInt() + ", --page for more)");
        }
    }

    // ---- clients ----

    @Command(name = "clients", mixinStandardHelpOptions = true, description = "Lists, shows and disconnects clients.",
            subcommands = {ClientsList.class, ClientsShow.class, ClientsKick.class})
    static final class Clients extends Group {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The clients (sessions), by client id.")
    static final class ClientsList extends Leaf {
        @Option(names = "--like", paramLabel = "TEXT", description = "Only client ids that contain TEXT.")
        String like;

        @Option(names = "--username", paramLabel = "NAME", description = "Only this user's clients.")
        String username;

        @Option(names = "--connected", paramLabel = "true|false", description = "Only connected (or offline) ones.")
        Boolean connected;

        @picocli.CommandLine.Mixin
        Paging paging;

        @Override
        public Integer call() {
            Map<String, String> f = new HashMap<>();
            f.put("like", like);
            f.put("username", username);
            f.put("connected", connected == null ? null : connected.toString());
            return ctl().run(spec, "GET", "clients" + paging.query(f), null, (a, out) -> printPage(a, out,
                    new String[] {"CLIENT", "CONNECTED", "USERNAME", "ADDRESS", "PROTOCOL", "SUBS", "QUEUED", "INFLIGHT"},
                    d -> new String[] {text(d.get("clientid")), text(d.get("connected")), text(d.get("username")),
                            d.path("ip_address").isNull() ? "-" : text(d.get("ip_address")) + ":" + text(d.get("port")),
                            text(d.get("proto_ver")), text(d.get("subscriptions_cnt")), text(d.get("mqueue_len")),
                            text(d.get("inflight_cnt"))}));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One client: its connection, session and "
            + "subscriptions.")
    static final class ClientsShow extends Leaf {
        @Parameters(paramLabel = "CLIENT_ID", description = "The client identifier.")
        String clientId;

        @Override
        public Integer call() {
            return ctl().run(spec, "GET", "clients/" + segment(clientId), null, (a, out) -> {
                JsonNode subs = a.path("subscriptions");
                ((com.fasterxml.jackson.databind.node.ObjectNode) a).remove("subscriptions");
                printFields(a, "", out);
                for (JsonNode s : subs) {
                    out.println("subscription: " + text(s.get("topic")) + " qos " + text(s.get("qos")));
                }
            });
        }
    }

    @Command(name = "kick", mixinStandardHelpOptions = true, description = "Disconnects a client (MQTT 5.0: reason "
            + "0x98 Administrative action); its session stays as its expiry says.")
    static final class ClientsKick extends Leaf {
        @Parameters(paramLabel = "CLIENT_ID", description = "The client identifier.")
        String clientId;

        @Override
        public Integer call() {
            return ctl().run(spec, "DELETE", "clients/" + segment(clientId), null,
                    (a, out) -> out.println(clientId + ": disconnected"));
        }
    }

    // ---- subscriptions ----

    @Command(name = "subscriptions", mixinStandardHelpOptions = true, description = "Lists subscriptions.",
            subcommands = {SubscriptionsList.class})
    static final class Subscriptions extends Group {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every session's subscriptions.")
    static final class SubscriptionsList extends Leaf {
        @Option(names = "--client", paramLabel = "CLIENT_ID", description = "Only this client's.")
        String clientId;

        @Option(names = "--topic", paramLabel = "FILTER", description = "Only this filter (as subscribed).")
        String topic;

        @picocli.CommandLine.Mixin
        Paging paging;

        @Override
        public Integer call() {
            Map<String, String> f = new HashMap<>();
            f.put("clientid", clientId);
            f.put("topic", topic);
            return ctl().run(spec, "GET", "subscriptions" + paging.query(f), null, (a, out) -> printPage(a, out,
                    new String[] {"CLIENT", "TOPIC", "QOS", "NL", "RAP", "RH"},
                    d -> new String[] {text(d.get("clientid")), text(d.get("topic")), text(d.get("qos")),
                            text(d.get("nl")), text(d.get("rap")), text(d.get("rh"))}));
        }
    }

    // ---- retained ----

    @Command(name = "retained", mixinStandardHelpOptions = true, description = "Lists, shows and deletes retained "
            + "messages.", subcommands = {RetainedList.class, RetainedShow.class, RetainedDelete.class})
    static final class Retained extends Group {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Retained messages whose topic matches a "
            + "filter.")
    static final class RetainedList extends Leaf {
        @Parameters(arity = "0..1", paramLabel = "FILTER", description = "A topic filter (default #).")
        String filter;

        @picocli.CommandLine.Mixin
        Paging paging;

        @Override
        public Integer call() {
            Map<String, String> f = new HashMap<>();
            f.put("topic", filter);
            return ctl().run(spec, "GET", "retained" + paging.query(f), null, (a, out) -> printPage(a, out,
                    new String[] {"TOPIC", "QOS", "BYTES", "FROM"},
                    d -> new String[] {text(d.get("topic")), text(d.get("qos")), text(d.get("payload_size")),
                            text(d.get("from_clientid"))}));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One retained message with its payload.")
    static final class RetainedShow extends Leaf {
        @Parameters(paramLabel = "TOPIC", description = "The topic.")
        String topic;

        @Override
        public Integer call() {
            return ctl().run(spec, "GET", "retained/" + segment(topic), null, (a, out) -> printFields(a, "", out));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Removes the retained message of a topic.")
    static final class RetainedDelete extends Leaf {
        @Parameters(paramLabel = "TOPIC", description = "The topic.")
        String topic;

        @Override
        public Integer call() {
            return ctl().run(spec, "DELETE", "retained/" + segment(topic), null,
                    (a, out) -> out.println(topic + ": deleted"));
        }
    }

    // ---- log ----

    @Command(name = "log", mixinStandardHelpOptions = true, description = "The log's levels, while the broker runs.",
            subcommands = {LogLevel.class})
    static final class Log extends Group {
    }

    @Command(name = "level", mixinStandardHelpOptions = true, description = {"Shows the levels set, or sets one.",
            "mast ctl log level                      the levels set",
            "mast ctl log level debug                the root logger's",
            "mast ctl log level io.mast.exhook debug one logger's (and those below it); 'inherit' removes it"})
    static final class LogLevel extends Leaf {
        @Parameters(arity = "0..2", paramLabel = "[LOGGER] LEVEL",
                description = "error, warn, info, debug, trace, off (or inherit for a logger).")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            if (args.isEmpty()) {
                return ctl().run(spec, "GET", "log/levels", null, (a, out) -> a.fields()
                        .forEachRemaining(e -> out.println(e.getKey() + " " + e.getValue().asText())));
            }
            String logger = args.size() == 2 ? args.get(0) : "ROOT";
            String level = args.getLast();
            Map<String, Object> body = new HashMap<>();
            body.put("logger", logger);
            body.put("level", level.equalsIgnoreCase("inherit") ? null : level);
            return ctl().run(spec, "PUT", "log/levels", body, (a, out) -> out.println(text(a.get("logger")) + " "
                    + text(a.get("level"))));
        }
    }
}
