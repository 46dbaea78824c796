package dev.tug.state;

import java.util.Map;
import java.util.Optional;

/**
 * The process environment, passed in rather than read globally so commands and tests can run side by side
 * with different stores, credentials and endpoints.
 */
public record Environment(Map<String, String> variables) {

    public static Environment system() {
        return new Environment(System.getenv());
    }

    public Optional<String> get(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public Optional<String> first(String... names) {
        for (String name : names) {
            Optional<String> value = get(name);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    public String home() {
        return get("HOME").orElse(System.getProperty("user.home"));
    }
}
