package io.emqx.extension.handler.codec;

/** What a client asks for in {@code onClientCheckAcl}: {@code publish} or {@code subscribe}. */
public class PubSub implements HandlerParameter {

    public final String value;

    public PubSub(String value) {
        this.value = value;
    }

    @Override
    public String toString() {
        return "PubSub (value=" + value + ")";
    }
}
