package dev.tug.state;

/** A value read from the store with the version a later conditional write must name. */
public record Versioned<T>(T value, String version) {
}
