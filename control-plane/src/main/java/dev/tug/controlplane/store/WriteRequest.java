package dev.tug.controlplane.store;

import dev.tug.controlplane.store.Store.KeyValue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** One caller's write, waiting in the {@link GroupCommitWriter}'s queue until its batch commits. */
final class WriteRequest {
    enum Kind { CREATE, UPDATE, DELETE, COMPACT }

    final Kind kind;
    final String key;
    final byte[] value;
    /** The expected mod revision for UPDATE and DELETE (0: any); the target for COMPACT. */
    final long revision;
    private final CompletableFuture<KeyValue> result = new CompletableFuture<>();

    private WriteRequest(Kind kind, String key, byte[] value, long revision) {
        this.kind = kind;
        this.key = key;
        this.value = value;
        this.revision = revision;
    }

    static WriteRequest create(String key, byte[] value) {
        return new WriteRequest(Kind.CREATE, key, value, 0);
    }

    static WriteRequest update(String key, byte[] value, long expectedModRevision) {
        return new WriteRequest(Kind.UPDATE, key, value, expectedModRevision);
    }

    static WriteRequest delete(String key, long expectedModRevision) {
        return new WriteRequest(Kind.DELETE, key, null, expectedModRevision);
    }

    static WriteRequest compact(long revision) {
        return new WriteRequest(Kind.COMPACT, null, null, revision);
    }

    void succeed(KeyValue kv) {
        result.complete(kv);
    }

    void fail(StoreException failure) {
        result.completeExceptionally(failure);
    }

    /**
     * Waits for the commit. Not interruptible: once queued, the write may commit, and a caller
     * that gave up could not tell; an interrupt is kept for the caller to see afterwards.
     */
    KeyValue await() {
        try {
            return result.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof KeyExistsException || cause instanceof KeyNotFoundException
                    || cause instanceof RevisionMismatchException) {
                throw (StoreException) cause; // an expected answer, not a fault
            }
            // a fault on the writer thread: wrap it so the trace shows this caller too
            throw new StoreException(cause.getMessage(), cause);
        }
    }
}
