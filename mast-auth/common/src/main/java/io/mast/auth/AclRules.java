package io.mast.auth;

import io.mast.plugin.ClientInfo;
import io.mast.plugin.TopicAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ACL rules of one client, checked in order: the first rule that matches decides; when none matches the answer is
 * {@code null} (the source has no opinion). Reads EMQX's two formats of an {@code acl} claim or answer field:
 *
 * <ul>
 *   <li>a list of rules ({@link AclRule}), checked in order, no match meaning no opinion;</li>
 *   <li>the older object of allowed filters, {@code {"pub": [...], "sub": [...], "all": [...]}}, where anything not
 *       listed is denied.</li>
 * </ul>
 *
 * Immutable.
 */
public final class AclRules {

    /** No rules: no opinion about anything. */
    public static final AclRules NONE = new AclRules(List.of(), false);

    private final List<AclRule> rules;
    private final boolean denyUnmatched;

    private AclRules(List<AclRule> rules, boolean denyUnmatched) {
        this.rules = rules;
        this.denyUnmatched = denyUnmatched;
    }

    /** Rules checked in this order; no match means no opinion. */
    public static AclRules of(List<AclRule> rules) {
        return rules.isEmpty() ? NONE : new AclRules(List.copyOf(rules), false);
    }

    /**
     * Reads an {@code acl} value: a list of rule objects, or an object of {@code pub}/{@code sub}/{@code all}
     * lists.
     *
     * @throws IllegalArgumentException naming the rule that is wrong and why
     */
    public static AclRules parse(Object acl) {
        if (acl instanceof List<?> list) {
            List<AclRule> rules = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException("acl rule " + (i + 1) + " is not an object");
                }
                try {
                    rules.add(AclRule.parse(stringKeys(m)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("acl rule " + (i + 1) + ": " + e.getMessage(), e);
                }
            }
            return of(rules);
        }
        if (acl instanceof Map<?, ?> m) {
            List<AclRule> rules = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                AclRule.Action action = switch (String.valueOf(e.getKey())) {
                    case "pub", "publish" -> AclRule.Action.PUBLISH;
                    case "sub", "subscribe" -> AclRule.Action.SUBSCRIBE;
                    case "all" -> AclRule.Action.ALL;
                    default -> throw new IllegalArgumentException("acl has " + e.getKey()
                            + "; expected a list of rules, or an object of pub, sub and all");
                };
                if (!(e.getValue() instanceof List<?> filters)) {
                    throw new IllegalArgumentException("acl." + e.getKey() + " must be a list of topic filters");
                }
                for (Object f : filters) {
                    try {
                        rules.add(AclRule.of(AclRule.Permission.ALLOW, action, String.valueOf(f)));
                    } catch (IllegalArgumentException ex) {
                        throw new IllegalArgumentException("acl." + e.getKey() + ": " + ex.getMessage(), ex);
                    }
                }
            }
            return new AclRules(List.copyOf(rules), true);
        }
        throw new IllegalArgumentException("acl must be a list of rules or an object of pub, sub and all lists");
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new java.util.HashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /** True when there is no rule and nothing is denied. */
    public boolean isEmpty() {
        return rules.isEmpty() && !denyUnmatched;
    }

    /** The rules, in order. */
    public List<AclRule> rules() {
        return rules;
    }

    /**
     * The permission of the first rule that matches, or {@code null} when none does (in the {@code pub}/{@code sub}
     * format, {@link AclRule.Permission#DENY}).
     */
    public AclRule.Permission check(ClientInfo client, TopicAction action, String topic, int qos, boolean retain) {
        for (AclRule r : rules) {
            if (r.matches(client, action, topic, qos, retain)) {
                return r.permission();
            }
        }
        return denyUnmatched ? AclRule.Permission.DENY : null;
    }

    @Override
    public String toString() {
        return rules + (denyUnmatched ? " else deny" : "");
    }
}
