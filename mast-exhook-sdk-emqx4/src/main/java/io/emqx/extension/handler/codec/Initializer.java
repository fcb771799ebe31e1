package io.emqx.extension.handler.codec;

import java.util.List;

/** What {@code init()} returns: the hooks to register and the handler's state. */
public class Initializer implements HandlerReturn {

    /** The hook specs and the state. */
    public static class Bootstrap {
        private final List<HookSpec> hookSpecs;
        private final State state;

        public Bootstrap(List<HookSpec> hookSpecs, State state) {
            this.hookSpecs = List.copyOf(hookSpecs);
            this.state = state;
        }

        public List<HookSpec> getHookSpecs() {
            return hookSpecs;
        }

        public State getState() {
            return state;
        }
    }

    private final Bootstrap bootstrap;

    public Initializer(Bootstrap bootstrap) {
        this.bootstrap = bootstrap;
    }

    public Bootstrap getBootstrap() {
        return bootstrap;
    }

    /** {@code [code, bootstrap]}. */
    @Override
    public Object encode(ResultCode rc) {
        return List.of(rc.getValue(), bootstrap);
    }
}
