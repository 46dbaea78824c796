package dev.tug.controlplane.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Null-safe reads from an object's JSON. A missing or null field reads as "", 0, false, an empty
 * list or a null time, so no printer throws on a partial object.
 */
final class Fields {

    private Fields() {
    }

    static JsonNode orMissing(JsonNode node) {
        return node == null ? MissingNode.getInstance() : node;
    }

    static JsonNode at(JsonNode node, String... path) {
        JsonNode current = orMissing(node);
        for (String field : path) {
            current = current.path(field);
        }
        return current;
    }

    static boolean present(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return !value.isMissingNode() && !value.isNull();
    }

    static String text(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isTextual() || value.isNumber() || value.isBoolean() ? value.asText() : "";
    }

    /** {@code value}, or {@code fallback} when it is empty. */
    static String orElse(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }

    static long number(JsonNode node, String... path) {
        return at(node, path).asLong(0);
    }

    static boolean isTrue(JsonNode node, String... path) {
        return at(node, path).asBoolean(false);
    }

    /** The elements of an array field; empty when it is missing or not an array. */
    static List<JsonNode> list(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        List<JsonNode> elements = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(elements::add);
        }
        return elements;
    }

    /** The number of entries of an array or map field, 0 when it is missing. */
    static long count(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isContainerNode() ? value.size() : 0;
    }

    /** An RFC 3339 timestamp field (metav1.Time or MicroTime); null when missing or unreadable. */
    static Instant time(JsonNode node, String... path) {
        String value = text(node, path);
        if (value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The AGE cell: how long ago the object was created. */
    static String age(JsonNode object, Instant now) {
        return Durations.since(time(object, "metadata", "creationTimestamp"), now);
    }

    static String name(JsonNode object) {
        return text(object, "metadata", "name");
    }

    /** The status ("True", "False", ...) of the first condition of {@code type}, "" when there is none. */
    static String conditionStatus(List<JsonNode> conditions, String type) {
        for (JsonNode condition : conditions) {
            if (type.equals(text(condition, "type"))) {
                return text(condition, "status");
            }
        }
        return "";
    }

    static boolean conditionTrue(List<JsonNode> conditions, String type) {
        return "True".equals(conditionStatus(conditions, type));
    }
}
