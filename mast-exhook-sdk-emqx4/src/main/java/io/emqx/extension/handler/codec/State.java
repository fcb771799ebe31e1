package io.emqx.extension.handler.codec;

import java.io.Serializable;

/** The state {@code init()} returns with its hooks: a counter, as in EMQX 4.x's SDK. */
public class State implements Serializable {

    private static final long serialVersionUID = 1L;

    Integer times;

    public State() {
        times = 0;
    }

    /** Adds one and returns the count. */
    public Integer incr() {
        times += 1;
        return times;
    }

    @Override
    public String toString() {
        return "State(times: " + times + ")";
    }
}
