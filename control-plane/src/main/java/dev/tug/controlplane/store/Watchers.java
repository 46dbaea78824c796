package dev.tug.controlplane.store;

import dev.tug.controlplane.store.Store.Event;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The running watches, and the handover between history and live events. The writer publishes
 * each committed batch under {@link #lock}, and a watch registers under the same lock, taking the
 * newest published revision as its handover point: everything up to it is already committed and
 * in the log (so the watch replays it from there), and everything after it will be offered to the
 * watch live. Registration is cheap (no I/O under the lock), so it never stalls the writer.
 */
final class Watchers implements GroupCommitWriter.Listener {
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<SqliteWatch> active = ConcurrentHashMap.newKeySet();
    private final int capacity;
    private final SqliteWatch.History history;
    private long publishedRevision; // guarded by lock
    private long compactedRevision; // guarded by lock
    private boolean closed; // guarded by lock

    Watchers(long revision, long compactedRevision, int capacity, SqliteWatch.History history) {
        this.publishedRevision = revision;
        this.compactedRevision = compactedRevision;
        this.capacity = capacity;
        this.history = history;
    }

    Store.Watch register(String prefix, long afterRevision) {
        lock.lock();
        try {
            if (closed) {
                throw new StoreException("store is closed");
            }
            if (afterRevision < compactedRevision) {
                throw new RevisionCompactedException("revision " + afterRevision
                        + " is compacted; the oldest a watch can start after is " + compactedRevision);
            }
            SqliteWatch watch = new SqliteWatch(new KeyRange(prefix), afterRevision, publishedRevision, capacity,
                    history, active::remove);
            active.add(watch);
            return watch;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void committed(List<Event> events, long revision, long compacted) {
        lock.lock();
        try {
            publishedRevision = revision;
            compactedRevision = compacted;
            if (events.isEmpty()) {
                return;
            }
            for (SqliteWatch watch : active) {
                if (!watch.offer(events)) {
                    active.remove(watch);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends every watch (each still delivers what it has buffered) and refuses new ones. */
    void closeAll() {
        lock.lock();
        try {
            closed = true;
            for (SqliteWatch watch : active) {
                watch.end("the store was closed");
            }
            active.clear();
        } finally {
            lock.unlock();
        }
    }
}
