package dev.tug.controlplane.admission;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Sets a default where a field is unset; like Kubernetes, an empty string counts as unset. */
final class Fill {

    private Fill() {
    }

    static <T> void ifAbsent(Supplier<T> getter, Consumer<T> setter, T value) {
        if (isAbsent(getter.get())) {
            setter.accept(value);
        }
    }

    /** Returns the field's value, first setting it to {@code created} when unset (for nested objects). */
    static <T> T orCreate(Supplier<T> getter, Consumer<T> setter, Supplier<T> created) {
        T value = getter.get();
        if (value == null) {
            value = created.get();
            setter.accept(value);
        }
        return value;
    }

    /** A list field as a list: clients send {@code null} for an empty key, which Kubernetes reads as empty. */
    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }

    static boolean isAbsent(Object value) {
        return value == null
                || value instanceof String s && s.isEmpty()
                || value instanceof Collection<?> c && c.isEmpty()
                || value instanceof Map<?, ?> m && m.isEmpty();
    }
}
