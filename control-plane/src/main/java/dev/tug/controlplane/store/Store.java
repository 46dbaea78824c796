package dev.tug.controlplane.store;

import java.util.List;
import java.util.Optional;

/**
 * The API server's only persistence: a revisioned key-value store in the manner of etcd v3.
 *
 * <p>Every successful write (create, update, delete) gets the next value of one global, strictly
 * increasing revision. The API server uses an object's {@code modRevision} as its
 * {@code resourceVersion}, so any implementation (the embedded one, etcd later) must keep that
 * contract. Values are opaque bytes (the API server stores JSON).
 *
 * <p>A write returns only after it is durable: once a call returns, a {@code kill -9} of the
 * process does not lose it.
 */
public interface Store extends AutoCloseable {

    /** The revision of the newest write, 0 for an empty store. */
    long currentRevision();

    Optional<KeyValue> get(String key);

    /** Every live key that starts with {@code prefix}, sorted by key, read at one revision. */
    Snapshot list(String prefix);

    /** Creates {@code key}; fails with {@link KeyExistsException} if it is live. */
    KeyValue create(String key, byte[] value);

    /**
     * Replaces the value of a live key. {@code expectedModRevision} 0 means unconditional;
     * otherwise the key's current modRevision must equal it ({@link RevisionMismatchException}).
     * A missing key fails with {@link KeyNotFoundException}.
     */
    KeyValue update(String key, byte[] value, long expectedModRevision);

    /**
     * Deletes a live key under the same precondition as {@link #update}. Returns the deleted
     * value with {@code modRevision} set to the revision of the delete.
     */
    KeyValue delete(String key, long expectedModRevision);

    /**
     * Streams every change to keys under {@code prefix} with a revision greater than
     * {@code afterRevision}, in revision order, first from history and then live, with no gap
     * and no duplicate. Throws {@link RevisionCompactedException} if history before
     * {@code afterRevision} has been compacted away (the API server answers 410 Gone).
     */
    Watch watch(String prefix, long afterRevision);

    /** Discards history at and below {@code revision}; the live keys are not affected. */
    void compact(long revision);

    /** The oldest revision a watch can still start after. */
    long compactedRevision();

    @Override
    void close();

    /** A live key. {@code createRevision} is the revision that created it. */
    record KeyValue(String key, byte[] value, long createRevision, long modRevision) {
    }

    /** A consistent read: the items and the revision at which they were read. */
    record Snapshot(List<KeyValue> items, long revision) {
    }

    enum EventType { CREATED, UPDATED, DELETED }

    /**
     * One change. For {@code DELETED}, {@code kv} holds the last value and the delete's revision.
     * {@code previous} is the value before the change (null for {@code CREATED}).
     */
    record Event(EventType type, KeyValue kv, KeyValue previous) {
        public long revision() {
            return kv.modRevision();
        }
    }

    /** A running watch. Events are buffered per watch; a watcher that falls too far behind is ended. */
    interface Watch extends AutoCloseable {
        /**
         * The next event, waiting at most {@code timeoutMillis}; null on timeout.
         * Throws {@link WatchEndedException} once the watch was ended by the store (overflow,
         * store closed); events delivered before that are still returned first.
         */
        Event next(long timeoutMillis) throws InterruptedException;

        @Override
        void close();
    }
}
