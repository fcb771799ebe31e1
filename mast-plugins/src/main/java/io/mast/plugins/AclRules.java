package io.mast.plugins;

import io.mast.plugin.Decision;
import io.mast.plugin.Reason;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicFilters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rules of an ACL file (Mosquitto's format, extended with {@code client} sections and the access types
 * {@code subscribe}, {@code receive} and {@code publish}) and the decisions they make. Immutable once parsed.
 *
 * <pre>
 * # before any user or client line: rules for clients without a user name
 * topic read public/#
 * user alice
 * topic readwrite alice/#
 * topic deny alice/secrets/#
 * client gateway-7
 * topic publish devices/7/#
 * # patterns apply to everybody, wherever they are written
 * pattern readwrite users/%u/#
 * pattern publish clients/%c/status
 * </pre>
 */
final class AclRules {

    static final int SUBSCRIBE = 1;
    static final int RECEIVE = 2;
    static final int PUBLISH = 4;
    private static final int ALL = SUBSCRIBE | RECEIVE | PUBLISH;

    private static final Map<String, Integer> ACCESS = Map.of(
            "read", SUBSCRIBE | RECEIVE,
            "write", PUBLISH,
            "readwrite", ALL,
            "subscribe", SUBSCRIBE,
            "receive", RECEIVE,
            "publish", PUBLISH,
            "deny", 0);

    private static final Decision DENIED = Decision.deny(Reason.NOT_AUTHORIZED, "denied by the ACL file");
    private static final Decision UNMATCHED = Decision.deny(Reason.NOT_AUTHORIZED, "not allowed by the ACL file");

    /**
     * A rule.
     *
     * @param filter  the topic filter, for a pattern with {@code %u}/{@code %c} still in it
     * @param access  the actions it allows (bits), 0 for a deny rule
     * @param deny    a {@code deny} rule: denies every action on what it matches, whatever else allows it
     * @param pattern a {@code pattern} rule, whose filter is completed with the client's user name and client id
     * @param line    where it was written
     * @param literal the length of the filter's fixed beginning ({@link #literalLength}), which a topic must repeat
     */
    record Rule(String filter, int access, boolean deny, boolean pattern, int line, int literal) {
        Rule(String filter, int access, boolean deny, boolean pattern, int line) {
            this(filter, access, deny, pattern, line, literalLength(filter));
        }
    }

    private final List<Rule> anonymous;
    private final Map<String, List<Rule>> users;
    private final Map<String, List<Rule>> clients;
    private final List<Rule> patterns;

    private AclRules(List<Rule> anonymous, Map<String, List<Rule>> users, Map<String, List<Rule>> clients,
                     List<Rule> patterns) {
        this.anonymous = anonymous;
        this.users = users;
        this.clients = clients;
        this.patterns = patterns;
    }

    /**
     * Reads and parses an ACL file (UTF-8).
     *
     * @throws IOException              when it cannot be read
     * @throws IllegalArgumentException {@code file:line: problem} for a line that is not a rule or not UTF-8
     */
    static AclRules read(Path file) throws IOException {
        return parse(TextFiles.readLines(file), file.toString());
    }

    /**
     * Parses the lines of an ACL file; {@code source} names it in messages.
     *
     * @throws IllegalArgumentException {@code source:line: problem}
     */
    static AclRules parse(List<String> lines, String source) {
        List<Rule> anonymous = new ArrayList<>();
        Map<String, List<Rule>> users = new HashMap<>();
        Map<String, List<Rule>> clients = new HashMap<>();
        List<Rule> patterns = new ArrayList<>();
        List<Rule> section = anonymous;
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = indexOfSpace(line);
            String keyword = space < 0 ? line : line.substring(0, space);
            String rest = space < 0 ? "" : line.substring(space + 1).strip();
            switch (keyword) {
                case "user", "client" -> {
                    if (rest.isEmpty()) {
                        throw error(source, number, keyword + " needs a " + (keyword.equals("user")
                                ? "user name" : "client identifier") + ": " + keyword + " <name>");
                    }
                    section = (keyword.equals("user") ? users : clients).computeIfAbsent(rest, k -> new ArrayList<>());
                }
                case "topic", "pattern" -> {
                    if (rest.isEmpty()) {
                        throw error(source, number, keyword + " needs a topic filter: " + keyword
                                + " [read|write|readwrite|subscribe|receive|publish|deny] <filter>");
                    }
                    int access = ALL;
                    boolean deny = false;
                    String filter = rest;
                    int sp = indexOfSpace(rest);
                    if (sp > 0) {
                        Integer a = ACCESS.get(rest.substring(0, sp).toLowerCase(Locale.ROOT));
                        if (a != null) {
                            access = a;
                            deny = a == 0;
                            filter = rest.substring(sp + 1).strip();
                        }
                    }
                    String problem = Filters.problem(filter);
                    if (problem != null) {
                        throw error(source, number, problem);
                    }
                    Rule r = new Rule(filter, access, deny, keyword.equals("pattern"), number);
                    (r.pattern ? patterns : section).add(r);
                }
                default -> throw error(source, number, "unknown keyword '" + keyword
                        + "'; expected topic, pattern, user or client");
            }
        }
        return new AclRules(List.copyOf(anonymous), freeze(users), freeze(clients), List.copyOf(patterns));
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, List<Rule>> freeze(Map<String, List<Rule>> m) {
        Map<String, List<Rule>> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(out);
    }

    private static IllegalArgumentException error(String source, int line, String problem) {
        return new IllegalArgumentException(source + ":" + line + ": " + problem);
    }

    /** How many rules, for the log. */
    int size() {
        int n = anonymous.size() + patterns.size();
        for (List<Rule> r : users.values()) {
            n += r.size();
        }
        for (List<Rule> r : clients.values()) {
            n += r.size();
        }
        return n;
    }

    /** A summary for the log. */
    String describe() {
        return size() + " rules (" + users.size() + " users, " + clients.size() + " client ids, " + patterns.size()
                + " patterns)";
    }

    /**
     * The decision for a client. A deny rule that matches wins over every allow; otherwise a rule that matches and
     * grants the action allows it; otherwise {@code unmatched}.
     *
     * @param username  the client's user name, {@code null} for an anonymous client
     * @param clientId  the client identifier
     * @param topic     the topic name (PUBLISH, RECEIVE) or the topic filter (SUBSCRIBE: it must be covered by an
     *                  allowing rule, and is denied when a deny rule covers it)
     * @param denyUnmatched the answer when no rule matches: a denial when true, {@link Decision#ABSTAIN} otherwise
     */
    Decision decide(String username, String clientId, TopicAction action, String topic, boolean denyUnmatched) {
        boolean subscribe = action == TopicAction.SUBSCRIBE;
        String target = subscribe ? TopicFilters.unshared(topic) : topic;
        int bit = switch (action) {
            case SUBSCRIBE -> SUBSCRIBE;
            case RECEIVE -> RECEIVE;
            case PUBLISH -> PUBLISH;
        };
        List<Rule> own = username == null ? anonymous : users.getOrDefault(username, List.of());
        int a = scan(own, username, clientId, subscribe, target, bit);
        int b = a == DENIED_BY_RULE ? a : scan(clients.getOrDefault(clientId, List.of()), username, clientId, subscribe,
                target, bit);
        int c = b == DENIED_BY_RULE ? b : scan(patterns, username, clientId, subscribe, target, bit);
        if (c == DENIED_BY_RULE) {
            return DENIED;
        }
        if ((a | b | c) == ALLOWED_BY_RULE) {
            return Decision.ALLOW;
        }
        return denyUnmatched ? UNMATCHED : Decision.ABSTAIN;
    }

    private static final int NO_RULE = 0;
    private static final int ALLOWED_BY_RULE = 1;
    private static final int DENIED_BY_RULE = 2;

    /** What a list of rules says: a deny rule matched, an allowing rule matched, or nothing. */
    private static int scan(List<Rule> rules, String username, String clientId, boolean subscribe, String target,
                            int bit) {
        int verdict = NO_RULE;
        for (int i = 0, n = rules.size(); i < n; i++) { // by index: no iterator per list and message
            Rule r = rules.get(i);
            if (r.pattern && !target.regionMatches(0, r.filter, 0, r.literal)) {
                continue; // its fixed beginning already differs: no need to substitute (asked for every message)
            }
            String f = r.pattern ? substitute(r.filter, username, clientId) : r.filter;
            if (f == null || !(subscribe ? TopicFilters.covers(f, target) : TopicFilters.matches(f, target))) {
                continue;
            }
            if (r.deny) {
                return DENIED_BY_RULE;
            }
            if ((r.access & bit) != 0) {
                verdict = ALLOWED_BY_RULE;
            }
        }
        return verdict;
    }

    /**
     * The length of a filter's beginning that a matching topic (or a covered filter) must repeat as it is: up to the
     * first substitution or wildcard.
     */
    static int literalLength(String filter) {
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            if (c == '%' || c == '+' || c == '#') {
                return i;
            }
        }
        return filter.length();
    }

    /**
     * A pattern's filter for a client, or {@code null} when the pattern does not apply to it: a {@code %u} or
     * {@code %c} whose value is missing, empty, or contains {@code +}, {@code #} or {@code /} (which would widen or
     * move the filter), or a value that would turn the filter into a {@code $} topic (a user named {@code $SYS}).
     */
    static String substitute(String filter, String username, String clientId) {
        if (filter.indexOf('%') < 0) {
            return filter;
        }
        // One pass over the pattern: a value is never scanned again, so a user named "%c" stays "%c".
        StringBuilder f = new StringBuilder(filter.length() + 16);
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            char next = i + 1 < filter.length() ? filter.charAt(i + 1) : 0;
            if (c == '%' && (next == 'u' || next == 'c')) {
                String value = next == 'u' ? username : clientId;
                if (!safe(value)) {
                    return null;
                }
                f.append(value);
                i++;
            } else {
                f.append(c);
            }
        }
        if (f.length() > 0 && f.charAt(0) == '$' && !filter.startsWith("$")) {
            return null;
        }
        return f.toString();
    }

    private static boolean safe(String v) {
        return v != null && !v.isEmpty() && v.indexOf('+') < 0 && v.indexOf('#') < 0 && v.indexOf('/') < 0
                && v.indexOf('\0') < 0;
    }
}
