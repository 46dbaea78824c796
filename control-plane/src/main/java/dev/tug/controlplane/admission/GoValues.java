package dev.tug.controlplane.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.IntOrString;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Prints a bad value the way the Kubernetes API server's messages show it (Go's {@code %q} for
 * strings, {@code %v} for numbers, {@code %#v} for string maps and lists), so clients and people
 * see the messages they know. Anything else is printed as compact JSON, which reads better than
 * Kubernetes' raw Go structs and carries the same information.
 */
final class GoValues {

    private GoValues() {
    }

    static String render(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return quote(s);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof IntOrString ios) {
            // Kubernetes prints IntOrString through its String(): 25%, not "25%"
            return ios.getIntVal() != null ? ios.getIntVal().toString() : String.valueOf(ios.getStrVal());
        }
        if (value instanceof Map<?, ?> map && map.values().stream().allMatch(v -> v instanceof String)) {
            return new TreeMap<>(map).entrySet().stream()
                    .map(e -> quote(String.valueOf(e.getKey())) + ":" + quote((String) e.getValue()))
                    .collect(Collectors.joining(", ", "map[string]string{", "}"));
        }
        if (value instanceof List<?> list && list.stream().allMatch(v -> v instanceof String)) {
            return list.stream().map(v -> quote((String) v)).collect(Collectors.joining(", ", "[]string{", "}"));
        }
        try {
            return Serialized.text(value);
        } catch (JsonProcessingException e) {
            return value.toString();
        }
    }

    /** Go's strconv.Quote for the characters API values contain. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
