package io.emqx.extension.handler.codec;

import java.util.List;

/** An option of a hook spec: the {@code topics} of a message hook. */
public class ActionOption {

    final String key;
    final List<String> values;

    public ActionOption(String key, List<String> values) {
        this.key = key;
        this.values = List.copyOf(values);
    }

    public String getKey() {
        return key;
    }

    public List<String> getValues() {
        return values;
    }

    @Override
    public String toString() {
        return key + "=" + values;
    }
}
