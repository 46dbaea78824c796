package dev.tug.state;

import java.util.List;
import java.util.Optional;

/**
 * A flat key space of small objects (file://, s3://, gs://). Keys are relative to the store's root and use '/'.
 * Every write names what it expects to replace, so a concurrent change is detected instead of lost.
 */
public interface StateStore extends AutoCloseable {

    /** Where this store lives, as the operator would type it (s3://bucket/prefix). */
    String url();

    /** Fails with a message that says how to fix it when the store cannot be used (missing bucket, no access). */
    void checkReachable();

    Optional<Blob> read(String key);

    /** Writes the object if the precondition holds; returns the new version. Throws {@link ConflictException}. */
    String write(String key, byte[] data, Precondition precondition);

    /** Keys that start with the prefix, sorted. */
    List<String> list(String prefix);

    /** Removes the object; removing one that is already gone is not an error. */
    void delete(String key);

    @Override
    default void close() {
    }
}
