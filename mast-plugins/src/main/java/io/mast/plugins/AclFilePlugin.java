package io.mast.plugins;

import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.Decision;
import io.mast.plugin.Default;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicPlugin;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Decides SUBSCRIBE, PUBLISH and RECEIVE (checked per subscriber at delivery) from an ACL file in Mosquitto's format,
 * extended with {@code client <client id>} sections and the access types {@code subscribe}, {@code receive} and
 * {@code publish} ({@code read} is subscribe and receive, {@code write} is publish, {@code readwrite} all three,
 * {@code deny} none, whatever other rules say). The format is described in {@code docs/builtin-plugins.md}.
 *
 * <p>A SUBSCRIBE is allowed when an allowing rule covers the whole requested filter ({@code sensors/#} covers
 * {@code sensors/+/temp}); a shared subscription is judged by its filter without {@code $share/<group>/}. What no rule
 * matches is denied, or left to the other topic plugins with {@code unmatched: abstain}. Messages the broker itself
 * publishes ({@code $SYS}) are left to the other plugins.
 *
 * <p>The rules live in memory and are read again when the file changes (checked every {@code check_interval}); a
 * changed file that does not parse is logged and the previous rules stay in force.
 *
 * <pre>{@code
 * plugins:
 *   io.mast.plugins.AclFilePlugin: {acl_file: /etc/mast/acl, unmatched: deny}
 * }</pre>
 */
@NonBlocking
public final class AclFilePlugin extends BrokerPlugin implements TopicPlugin {

    /** What the plugin answers when no rule matches. */
    public enum Unmatched {
        /** Denied (0x87 Not authorized). */
        DENY,
        /** No opinion: the other topic plugins decide, and the action is allowed when they all abstain. */
        ABSTAIN
    }

    /**
     * The options.
     *
     * @param aclFile       {@code acl_file} (required): the file's path, relative to the broker's working directory
     * @param unmatched     {@code unmatched}: {@code deny} (default) or {@code abstain} when no rule matches
     * @param checkInterval {@code check_interval}: how often the file is checked for changes (default 5s; 0 never)
     */
    public record Config(String aclFile, @Default("deny") Unmatched unmatched, @Default("5s") Duration checkInterval) {
    }

    private final ReloadingFile<AclRules> file;
    private final boolean denyUnmatched;

    /**
     * Reads the ACL file and starts watching it; called by the broker at startup.
     *
     * @throws IllegalStateException when the file cannot be read or is not valid (the broker then does not start)
     */
    public AclFilePlugin(BrokerContext context) {
        super(context);
        Config c = config(Config.class);
        this.denyUnmatched = c.unmatched() == Unmatched.DENY;
        this.file = new ReloadingFile<>(Path.of(c.aclFile()), "ACL file", AclRules::read, AclRules::describe, log());
        file.watch(context.scheduler(), c.checkInterval());
    }

    @Override
    public Decision authorize(ClientInfo client, TopicAction action, String topic) {
        if (client == null) {
            return Decision.ABSTAIN;
        }
        return file.current().decide(client.username(), client.clientId(), action, topic, denyUnmatched);
    }

    /** Reads the file now if it changed; returns true when new rules are in force (for tests and tools). */
    boolean reloadIfChanged() {
        return file.check();
    }

    @Override
    public void close() {
        file.close();
    }
}
