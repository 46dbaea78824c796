package dev.tug.engine;

/** A live cloud object: its id and its managed fields as they are now. */
public record Found(String id, Fields fields) {
}
