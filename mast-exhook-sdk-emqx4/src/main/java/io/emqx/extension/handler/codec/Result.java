package io.emqx.extension.handler.codec;

import java.util.List;

/** A boolean answer. */
public class Result implements HandlerReturn {

    public final boolean value;

    public Result(boolean value) {
        this.value = value;
    }

    @Override
    public Object encode(ResultCode rc) {
        return List.of(rc.getValue(), value);
    }

    @Override
    public String toString() {
        return "Result (value=" + value + ")";
    }
}
