package io.mast.auth;

import io.mast.plugin.AuthDecision;
import io.mast.plugin.AuthPlugin;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Decision;
import io.mast.plugin.DisconnectInfo;
import io.mast.plugin.Message;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.PublishDecision;
import io.mast.plugin.PublishPlugin;
import io.mast.plugin.Reason;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicPlugin;
import java.util.EnumSet;
import java.util.Set;

/**
 * An authentication source whose logins may carry ACL rules and an expiry (an HTTP service's answer, a JWT): it
 * accepts a client with {@link #accept}, and then decides that connection's SUBSCRIBE (a {@link TopicPlugin}) and
 * PUBLISH (a {@link PublishPlugin}, so that a rule's {@code qos} and {@code retain} can be checked) from those rules,
 * in memory, on the network thread. A connection without rules gets no opinion (abstain); a superuser is not asked
 * (the broker skips its topic plugins, and this plugin's publish check lets its messages through).
 */
public abstract class GrantingAuthPlugin extends BrokerPlugin implements AuthPlugin, TopicPlugin, PublishPlugin {

    private static final Decision EXPIRED = Decision.deny(Reason.NOT_AUTHORIZED, "the login expired");
    private static final PublishDecision PUBLISH_EXPIRED = PublishDecision.deny(Reason.NOT_AUTHORIZED,
            "the login expired");

    /** What each connection was granted. */
    protected final ClientGrants grants;
    private final Decision denied;
    private final PublishDecision publishDenied;

    /**
     * @param rulesName what the rules are called in a refusal's reason string, e.g. {@code the token's acl claim}
     */
    protected GrantingAuthPlugin(BrokerContext context, String rulesName) {
        super(context);
        this.grants = new ClientGrants(context);
        this.denied = Decision.deny(Reason.NOT_AUTHORIZED, "denied by " + rulesName);
        this.publishDenied = PublishDecision.deny(Reason.NOT_AUTHORIZED, "denied by " + rulesName);
    }

    /**
     * Accepts a client: an allow, as a superuser when told, after recording its rules and expiry for its later
     * checks.
     *
     * @param expiresAt epoch milliseconds when the login expires (the client is then disconnected), or 0
     */
    protected AuthDecision accept(ConnectInfo connect, boolean superuser, AclRules rules, long expiresAt) {
        if (!rules.isEmpty() || expiresAt > 0) {
            grants.put(connect, new ClientGrants.Grant(rules, expiresAt));
        }
        return superuser ? AuthDecision.allowSuperuser() : AuthDecision.allow();
    }

    /** SUBSCRIBE only: PUBLISH is checked in {@link #onPublish}, which sees the QoS and RETAIN flag. */
    @Override
    public Set<TopicAction> actions() {
        return EnumSet.of(TopicAction.SUBSCRIBE);
    }

    @Override
    @NonBlocking
    public Decision authorize(ClientInfo client, TopicAction action, String topic) {
        ClientGrants.Grant g = grants.get(client);
        if (g == null) {
            return Decision.ABSTAIN;
        }
        if (g.expired(System.currentTimeMillis())) {
            return EXPIRED;
        }
        AclRule.Permission p = g.rules().check(client, action, topic, 0, false);
        return p == null ? Decision.ABSTAIN : p == AclRule.Permission.ALLOW ? Decision.ALLOW : denied;
    }

    @Override
    @NonBlocking
    public PublishDecision onPublish(ClientInfo publisher, Message message) {
        ClientGrants.Grant g = publisher == null || publisher.superuser() ? null : grants.get(publisher);
        if (g == null) {
            return PublishDecision.proceed(message);
        }
        if (g.expired(System.currentTimeMillis())) {
            return PUBLISH_EXPIRED;
        }
        AclRule.Permission p = g.rules().check(publisher, TopicAction.PUBLISH, message.topic(), message.qos(),
                message.retain());
        return p == AclRule.Permission.DENY ? publishDenied : PublishDecision.proceed(message);
    }

    @Override
    public void onClientDisconnected(ClientInfo client, DisconnectInfo disconnect) {
        grants.remove(client);
    }

    @Override
    public void close() {
        grants.close();
    }
}
