package dev.tug.engine;

/** One field that differs between the live object and the spec. */
public record Change(String field, String from, String to) {
    @Override
    public String toString() {
        return field + ": " + (from.isEmpty() ? "<none>" : from) + " -> " + (to.isEmpty() ? "<none>" : to);
    }
}
