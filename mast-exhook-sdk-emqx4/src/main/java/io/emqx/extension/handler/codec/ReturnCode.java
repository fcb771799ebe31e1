package io.emqx.extension.handler.codec;

/** The outcome of a CONNECT in {@code onClientConnack}, e.g. {@code success} or {@code not_authorized}. */
public class ReturnCode implements HandlerParameter {

    public final String value;

    public ReturnCode(String value) {
        this.value = value;
    }

    @Override
    public String toString() {
        return "ReturnCode (value=" + value + ")";
    }
}
