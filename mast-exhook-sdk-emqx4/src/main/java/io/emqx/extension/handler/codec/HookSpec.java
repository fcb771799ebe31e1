package io.emqx.extension.handler.codec;

import java.util.List;

/** One hook a handler registers: its name in EMQX 4.x ({@code client_connect} ...), the class, the method, options. */
public class HookSpec {

    private final String hook;
    private final String module;
    private final String function;
    private final List<ActionOption> actionOptions;

    public HookSpec(String hook, String module, String function) {
        this(hook, module, function, (ActionOption[]) null);
    }

    public HookSpec(String hook, String module, String function, ActionOption... actionOptions) {
        this.hook = hook;
        this.module = module;
        this.function = function;
        this.actionOptions = actionOptions == null ? List.of() : List.of(actionOptions);
    }

    /** The hook, e.g. {@code message_publish}. */
    public String getHook() {
        return hook;
    }

    /** The handler class. */
    public String getModule() {
        return module;
    }

    /** The method, e.g. {@code onMessagePublish}. */
    public String getFunction() {
        return function;
    }

    /** The options, e.g. {@code topics}. */
    public List<ActionOption> getActionOptions() {
        return actionOptions;
    }

    @Override
    public String toString() {
        return "HookSpec (" + hook + ", " + module + ", " + function + ", " + actionOptions + ")";
    }
}
