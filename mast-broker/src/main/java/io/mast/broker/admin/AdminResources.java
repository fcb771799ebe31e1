package io.mast.broker.admin;

import io.mast.plugin.AdminResource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The parts of the admin API that plugins serve, by their name under {@code /api/v1/}. */
public final class AdminResources {

    /** The broker's own resources, which plugins may not take. */
    static final Set<String> RESERVED = Set.of("status", "metrics", "plugins");

    /** The broker's own resources served like plugins' ones (clients, subscriptions, retained messages, the log). */
    static final Set<String> BUILT_IN = Set.of("clients", "subscriptions", "retained", "log");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    /** A resource and the plugin that serves it (for logs). */
    record Entry(String plugin, AdminResource resource) {
    }

    private final Map<String, Entry> resources = new ConcurrentHashMap<>();

    /**
     * Registers {@code resource} under {@code name} for {@code plugin}.
     *
     * @throws IllegalArgumentException when the name is malformed, reserved or taken
     */
    public void register(String plugin, String name, AdminResource resource) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("admin resource name: expected lower-case letters, digits and -, got "
                    + name);
        }
        if (RESERVED.contains(name) || BUILT_IN.contains(name)) {
            throw new IllegalArgumentException("admin resource name: " + name + " is the broker's own");
        }
        if (resource == null) {
            throw new IllegalArgumentException("admin resource " + name + ": null");
        }
        Entry taken = resources.putIfAbsent(name, new Entry(plugin, resource));
        if (taken != null) {
            throw new IllegalArgumentException("admin resource name: " + name + " is already served by "
                    + taken.plugin());
        }
    }

    /** Registers the broker's own resources (once, by the admin server). */
    void registerBuiltIn(String name, AdminResource resource) {
        if (!BUILT_IN.contains(name)) {
            throw new IllegalArgumentException(name + " is not a built-in resource");
        }
        resources.putIfAbsent(name, new Entry("broker", resource));
    }

    Entry get(String name) {
        return resources.get(name);
    }

    /** The registered names. */
    public Set<String> names() {
        return Set.copyOf(resources.keySet());
    }
}
