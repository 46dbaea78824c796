package dev.tug.controlplane.admission;

import com.fasterxml.jackson.databind.ObjectMapper;

/** An independent copy of a model object, to compare "everything but the mutable fields" without touching the input. */
final class DeepCopy {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeepCopy() {
    }

    static <T> T of(T value, Class<T> type) {
        return value == null ? null : JSON.convertValue(value, type);
    }
}
