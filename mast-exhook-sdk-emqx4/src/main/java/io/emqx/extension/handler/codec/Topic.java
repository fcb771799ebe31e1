package io.emqx.extension.handler.codec;

/** A topic or topic filter; null when empty. */
public class Topic implements HandlerParameter {

    public final String value;

    public Topic(String value) {
        this.value = value;
    }

    @Override
    public String toString() {
        return "Topic (value=" + value + ")";
    }
}
