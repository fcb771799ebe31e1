package io.mast.it;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Plugin options computed when the broker starts rather than when the test class is loaded: for a plugin whose
 * options name a service that a static extension registered before the broker starts (a database's URL).
 */
final class LazyOptions extends AbstractMap<String, Object> {

    private final Supplier<Map<String, ?>> options;
    private Map<String, Object> computed;

    LazyOptions(Supplier<Map<String, ?>> options) {
        this.options = options;
    }

    /** The options, computed on first use (once: the supplier may have effects, such as creating a table). */
    @Override
    @SuppressWarnings("unchecked")
    public synchronized Set<Entry<String, Object>> entrySet() {
        if (computed == null) {
            computed = (Map<String, Object>) options.get();
        }
        return computed.entrySet();
    }
}
