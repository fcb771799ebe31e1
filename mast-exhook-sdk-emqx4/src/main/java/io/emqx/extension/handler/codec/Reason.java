package io.emqx.extension.handler.codec;

/** Why a client disconnected, a session ended or a message was dropped (e.g. {@code normal}); null when empty. */
public class Reason implements HandlerParameter {

    public final String value;

    public Reason(String value) {
        this.value = value;
    }

    @Override
    public String toString() {
        return "Reason (value=" + value + ")";
    }
}
