package dev.tug.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The fields of a resource that Tug manages, as display strings in a fixed order. Desired and live objects are
 * both reduced to this form, so the diff and the dry-run report are the same comparison.
 */
public final class Fields {
    private final Map<String, String> values = new LinkedHashMap<>();

    public Fields put(String field, Object value) {
        values.put(field, value == null ? "" : String.valueOf(value));
        return this;
    }

    /** A set of values, sorted so that order returned by the cloud never shows as a change. */
    public Fields putSet(String field, Collection<?> items) {
        TreeSet<String> sorted = new TreeSet<>();
        items.forEach(item -> sorted.add(String.valueOf(item)));
        return put(field, String.join(", ", sorted));
    }

    public String get(String field) {
        return values.getOrDefault(field, "");
    }

    public Map<String, String> asMap() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /** What must change to turn {@code live} into this; only fields this object names are compared. */
    public List<Change> changesFrom(Fields live) {
        List<Change> changes = new ArrayList<>();
        values.forEach((field, wanted) -> {
            String actual = live.get(field);
            if (!wanted.equals(actual)) {
                changes.add(new Change(field, actual, wanted));
            }
        });
        return changes;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
