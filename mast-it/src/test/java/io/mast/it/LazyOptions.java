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

    LazyOptions(Supplier<Map<String, ?>> options) {
        this.options = options;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Set<Entry<String, Object>> entrySet() {
        return ((Map<String, Object>) options.get()).entrySet();
    }
}
