package dev.tug.controlplane.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Objects;

/** Model objects seen as the API serializes them, where an absent, null or empty list are all the same. */
final class Serialized {

    private static final ObjectMapper MAPPER = dev.tug.controlplane.api.Json.MAPPER;

    private Serialized() {
    }

    /** An independent copy, to change without touching the original. */
    static <T> T copy(T value, Class<T> type) {
        return value == null ? null : MAPPER.convertValue(value, type);
    }

    /** Whether two values serialize alike (fabric8's equals tells a null list from an empty one). */
    static boolean same(Object a, Object b) {
        return Objects.equals(MAPPER.valueToTree(a), MAPPER.valueToTree(b));
    }

    static String text(Object value) throws JsonProcessingException {
        return MAPPER.writeValueAsString(value);
    }
}
