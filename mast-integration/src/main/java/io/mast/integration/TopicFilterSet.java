package io.mast.integration;

import io.mast.plugin.TopicFilters;
import java.util.List;

/**
 * The topic filters that feed a sink: a message goes to the sink when its topic matches one of them
 * ({@link TopicFilters#matches}, so {@code #} does not match {@code $SYS/...}).
 */
public final class TopicFilterSet {

    private final List<String> filters;

    private TopicFilterSet(List<String> filters) {
        this.filters = filters;
    }

    /**
     * The set of {@code filters}.
     *
     * @throws IllegalArgumentException naming the first filter that is not a valid MQTT topic filter
     */
    public static TopicFilterSet of(List<String> filters) {
        if (filters == null || filters.isEmpty()) {
            throw new IllegalArgumentException("needs at least one topic filter, such as \"sensors/#\"");
        }
        for (String f : filters) {
            check(f);
        }
        return new TopicFilterSet(List.copyOf(filters));
    }

    /** Whether {@code topic} matches one of the filters. */
    public boolean matches(String topic) {
        for (String f : filters) {
            if (TopicFilters.matches(f, topic)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a topic filter (of a subscription) lies within one of the filters ({@link TopicFilters#covers}). */
    public boolean matchesFilter(String filter) {
        for (String f : filters) {
            if (TopicFilters.covers(f, filter)) {
                return true;
            }
        }
        return false;
    }

    /** The filters. */
    public List<String> filters() {
        return filters;
    }

    private static void check(String filter) {
        if (filter == null || filter.isEmpty()) {
            throw new IllegalArgumentException("an empty topic filter");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw new IllegalArgumentException("topic filter \"" + filter
                        + "\": # must be a whole level and the last one");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new IllegalArgumentException("topic filter \"" + filter + "\": + must be a whole level");
            }
        }
    }

    @Override
    public String toString() {
        return String.join(", ", filters);
    }
}
