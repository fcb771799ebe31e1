package io.mast.plugin.support;

/**
 * A plugin's options cannot be bound: which option (or {@code null} for the plugin as a whole) and what is wrong.
 * The runtime adds the plugin's name and the config file's line.
 */
public final class OptionsException extends RuntimeException {

    private final String key;
    private final String problem;

    public OptionsException(String key, String problem) {
        super((key == null ? "" : key + ": ") + problem, null, false, false);
        this.key = key;
        this.problem = problem;
    }

    /** The option in snake case (a path such as {@code servers.[0].url} for nested ones), or {@code null}. */
    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }
}
