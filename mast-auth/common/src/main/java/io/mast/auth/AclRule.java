package io.mast.auth;

import io.mast.integration.Template;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicFilters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One ACL rule in EMQX's format, as the database, HTTP and JWT sources carry them:
 *
 * <pre>{@code
 * {"permission": "allow", "action": "publish", "topic": "sensors/${clientid}/#", "qos": [0, 1], "retain": false}
 * {"permission": "deny", "action": "all", "topics": ["#"]}
 * }</pre>
 *
 * <ul>
 *   <li>{@code permission}: {@code allow} or {@code deny};</li>
 *   <li>{@code action}: {@code publish} (or {@code pub}), {@code subscribe} (or {@code sub}), {@code all};</li>
 *   <li>{@code topic}, or {@code topics} (a list): topic filters, where {@code ${username}}, {@code ${clientid}},
 *       {@code ${cert_common_name}}, {@code ${cert_subject}} (and the older {@code %u}, {@code %c}) stand for the
 *       client's values; a filter written {@code eq <filter>} is taken literally (no wildcard, no placeholder);</li>
 *   <li>{@code qos} (optional): {@code 0}, {@code 1}, {@code 2}, a list, or {@code "0,1"}; checked for PUBLISH;</li>
 *   <li>{@code retain} (optional): {@code true}/{@code false} (or {@code 1}/{@code 0}, {@code "all"} for either);
 *       checked for PUBLISH.</li>
 * </ul>
 *
 * <p>A PUBLISH matches a rule when its topic matches one of the rule's filters; a SUBSCRIBE when one of them covers the
 * whole filter asked for ({@code a/#} covers {@code a/+/b}; a shared subscription is judged by its filter). A
 * placeholder whose value is missing, empty, or contains {@code +}, {@code #} or {@code /} makes that filter match
 * nothing, so that a user named {@code #} cannot widen a rule. Immutable.
 */
public final class AclRule {

    /** What a matching rule says. */
    public enum Permission { ALLOW, DENY }

    /** What a rule is about. */
    public enum Action { PUBLISH, SUBSCRIBE, ALL }

    /** The placeholders a rule's topic may use. */
    public static final Set<String> TOPIC_PLACEHOLDERS = Set.of("username", "clientid", "cert_common_name",
            "cert_subject");

    private static final int ANY_QOS = 0b111;

    private final Permission permission;
    private final Action action;
    private final List<Filter> filters;
    private final int qos;
    private final Boolean retain;

    /** A filter of a rule: literal ({@code eq}), constant, or a template filled per client. */
    private record Filter(String literal, boolean eq, Template<ClientInfo> template) {
        /** The filter for this client, or {@code null} when a placeholder's value is unusable. */
        String forClient(ClientInfo c) {
            if (template == null) {
                return literal;
            }
            String filled = template.render(c);
            if (filled.indexOf('\0') >= 0 || (filled.startsWith("$") && !literal.startsWith("$"))) {
                return null;
            }
            return filled;
        }
    }

    /** A rule's placeholders: the client's value, or U+0000 (which no filter may hold) when it is unusable. */
    private static final Template.Variables<ClientInfo> VALUES = ClientValues.variables(TOPIC_PLACEHOLDERS,
            v -> safe(v) ? v : "\0", null);
    /** The same names, each filled with a plain level, to check the filter's shape. */
    private static final Template.Variables<ClientInfo> SHAPE = ClientValues.variables(TOPIC_PLACEHOLDERS,
            v -> "x", null);

    private AclRule(Permission permission, Action action, List<Filter> filters, int qos, Boolean retain) {
        this.permission = permission;
        this.action = action;
        this.filters = filters;
        this.qos = qos;
        this.retain = retain;
    }

    /**
     * Reads a rule from its fields (a JSON object, a database row).
     *
     * @throws IllegalArgumentException saying which field is wrong
     */
    public static AclRule parse(Map<String, ?> raw) {
        Object p = raw.get("permission");
        Permission permission = switch (p == null ? "" : p.toString().toLowerCase(Locale.ROOT)) {
            case "allow" -> Permission.ALLOW;
            case "deny" -> Permission.DENY;
            default -> throw new IllegalArgumentException("permission must be allow or deny, got " + p);
        };
        Object a = raw.get("action");
        Action action = switch (a == null ? "" : a.toString().toLowerCase(Locale.ROOT)) {
            case "publish", "pub" -> Action.PUBLISH;
            case "subscribe", "sub" -> Action.SUBSCRIBE;
            case "all" -> Action.ALL;
            default -> throw new IllegalArgumentException("action must be publish, subscribe or all, got " + a);
        };
        List<String> topics = new ArrayList<>();
        if (raw.get("topic") instanceof String t) {
            topics.add(t);
        } else if (raw.get("topics") instanceof List<?> list && !list.isEmpty()) {
            for (Object t : list) {
                if (!(t instanceof String s)) {
                    throw new IllegalArgumentException("topics must be strings, got " + t);
                }
                topics.add(s);
            }
        } else {
            throw new IllegalArgumentException("a rule needs a topic (a string) or topics (a list of strings)");
        }
        List<Filter> filters = new ArrayList<>();
        for (String t : topics) {
            filters.add(filter(t));
        }
        return new AclRule(permission, action, List.copyOf(filters), qos(raw.get("qos")), retain(raw.get("retain")));
    }

    /** A rule without QoS or retain condition. */
    public static AclRule of(Permission permission, Action action, String topic) {
        return new AclRule(permission, action, List.of(filter(topic)), ANY_QOS, null);
    }

    private static Filter filter(String topic) {
        if (topic.startsWith("eq ")) {
            String literal = topic.substring(3);
            check(literal);
            return new Filter(literal, true, null);
        }
        // The older %u and %c mean ${username} and ${clientid}.
        String t = topic.replace("%u", "${username}").replace("%c", "${clientid}");
        Template<ClientInfo> template = Template.compile(t, VALUES);
        check(Template.compile(t, SHAPE).render(null));
        return template.constant() ? new Filter(template.render(null), false, null) : new Filter(t, false, template);
    }

    private static void check(String filter) {
        if (!TopicFilters.isTopicFilter(filter)) {
            throw new IllegalArgumentException("not a valid topic filter: " + filter);
        }
    }

    private static int qos(Object q) {
        if (q == null || "all".equals(q)) {
            return ANY_QOS;
        }
        List<?> values = q instanceof List<?> l ? l
                : q instanceof String s ? List.of((Object[]) s.split(",")) : List.of(q);
        int mask = 0;
        for (Object v : values) {
            String s = v.toString().trim();
            if (!s.equals("0") && !s.equals("1") && !s.equals("2")) {
                throw new IllegalArgumentException("qos must be 0, 1, 2 or a list of them, got " + q);
            }
            mask |= 1 << Integer.parseInt(s);
        }
        return mask == 0 ? ANY_QOS : mask;
    }

    private static Boolean retain(Object r) {
        if (r == null) {
            return null;
        }
        return switch (r.toString().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> Boolean.TRUE;
            case "false", "0" -> Boolean.FALSE;
            case "all" -> null;
            default -> throw new IllegalArgumentException("retain must be true, false or all, got " + r);
        };
    }

    static boolean safe(String v) {
        return v != null && !v.isEmpty() && v.indexOf('+') < 0 && v.indexOf('#') < 0 && v.indexOf('/') < 0
                && v.indexOf('\0') < 0;
    }

    public Permission permission() {
        return permission;
    }

    public Action action() {
        return action;
    }

    /**
     * True when the rule applies.
     *
     * @param client the client (for placeholders)
     * @param check  {@link TopicAction#PUBLISH} (a topic name) or {@link TopicAction#SUBSCRIBE} (a filter)
     * @param topic  the topic name or filter
     * @param qos    the message's QoS for PUBLISH; ignored for SUBSCRIBE
     * @param retain the message's RETAIN flag for PUBLISH; ignored for SUBSCRIBE
     */
    public boolean matches(ClientInfo client, TopicAction check, String topic, int qos, boolean retain) {
        boolean publish = check == TopicAction.PUBLISH;
        if (action != Action.ALL && (action == Action.PUBLISH) != publish) {
            return false;
        }
        if (publish && ((this.qos & (1 << qos)) == 0 || (this.retain != null && this.retain != retain))) {
            return false;
        }
        String asked = publish ? topic : TopicFilters.unshared(topic);
        for (Filter f : filters) {
            if (f.eq()) {
                if (f.literal().equals(asked)) {
                    return true;
                }
                continue;
            }
            String filter = f.forClient(client);
            if (filter != null
                    && (publish ? TopicFilters.matches(filter, asked) : TopicFilters.covers(filter, asked))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return permission.name().toLowerCase(Locale.ROOT) + " " + action.name().toLowerCase(Locale.ROOT) + " "
                + filters.stream().map(f -> f.eq() ? "eq " + f.literal() : f.literal()).toList()
                + (qos == ANY_QOS ? "" : " qos mask " + qos) + (retain == null ? "" : " retain " + retain);
    }
}
