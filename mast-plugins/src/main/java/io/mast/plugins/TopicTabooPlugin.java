package io.mast.plugins;

import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.Decision;
import io.mast.plugin.Default;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.Reason;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicFilters;
import io.mast.plugin.TopicPlugin;
import java.util.List;
import java.util.Set;

/**
 * Keeps clients away from taboo topics, as aMQTT's TopicTabooPlugin does but with a configurable list of topic
 * filters: publishing to a topic a taboo filter matches, receiving a message on one, or subscribing to a filter that
 * only reaches taboo topics is denied, except for the exempt users. Everything else is left to the other topic
 * plugins (abstain).
 *
 * <p>Exempt users are recognised by user name alone: pair this plugin with an auth plugin that checks passwords.
 *
 * <pre>{@code
 * plugins:
 *   io.mast.plugins.TopicTabooPlugin: {topics: [prohibited, top-secret, data/classified], exempt_users: [admin]}
 * }</pre>
 */
@NonBlocking
public final class TopicTabooPlugin extends BrokerPlugin implements TopicPlugin {

    /**
     * The options.
     *
     * @param topics      {@code topics}: the taboo topic filters, wildcards allowed (default: prohibited, top-secret,
     *                    data/classified)
     * @param exemptUsers {@code exempt_users}: user names the taboo does not apply to (default: admin)
     */
    public record Config(@Default("[prohibited, top-secret, data/classified]") List<String> topics,
                         @Default("[admin]") List<String> exemptUsers) {
    }

    private static final Decision TABOO = Decision.deny(Reason.NOT_AUTHORIZED, "taboo topic");

    private final List<String> taboo;
    private final Set<String> exempt;

    /**
     * Checks the taboo filters; called by the broker at startup.
     *
     * @throws IllegalArgumentException for a taboo filter that is not a valid topic filter
     */
    public TopicTabooPlugin(BrokerContext context) {
        super(context);
        Config c = config(Config.class);
        for (String t : c.topics()) {
            String problem = t == null ? "a topic filter must not be empty" : Filters.problem(t);
            if (problem != null) {
                throw new IllegalArgumentException("topics: " + problem);
            }
        }
        if (c.exemptUsers().contains(null)) {
            throw new IllegalArgumentException("exempt_users: a user name must not be empty");
        }
        this.taboo = List.copyOf(c.topics());
        this.exempt = Set.copyOf(c.exemptUsers());
        log().info("Taboo topics: {}; exempt users: {}", taboo, c.exemptUsers());
    }

    @Override
    public Decision authorize(ClientInfo client, TopicAction action, String topic) {
        if (client == null || (client.username() != null && exempt.contains(client.username()))) {
            return Decision.ABSTAIN;
        }
        String target = action == TopicAction.SUBSCRIBE ? TopicFilters.unshared(topic) : topic;
        for (String t : taboo) {
            if (action == TopicAction.SUBSCRIBE ? TopicFilters.covers(t, target) : TopicFilters.matches(t, target)) {
                return TABOO;
            }
        }
        return Decision.ABSTAIN;
    }
}
