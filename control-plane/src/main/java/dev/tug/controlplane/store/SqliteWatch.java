package dev.tug.controlplane.store;

import dev.tug.controlplane.store.Store.Event;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One watch: first the logged history in {@code (startAfter, handover]}, read from the database
 * a page at a time as the consumer asks, then the live events with revisions above
 * {@code handover}, which the writer pushes into a bounded buffer. {@code handover} is the newest
 * revision published to watchers when this watch was registered (see {@link Watchers}), so every
 * revision is delivered exactly once, by one path or the other.
 */
final class SqliteWatch implements Store.Watch {
    /** Reads logged events in {@code (after, upTo]} under a range, oldest first, at most {@code limit}. */
    interface History {
        List<Event> read(KeyRange range, long after, long upTo, int limit);
    }

    private static final int PAGE_SIZE = 500;

    private final KeyRange range;
    private final long startAfter;
    private final long handover;
    private final int capacity;
    private final History history;
    private final Consumer<SqliteWatch> unregister;

    /** Held by the consumer for all of {@link #next}; guards the replay fields. */
    private final Object consumer = new Object();
    private long replayedUpTo;
    private final ArrayDeque<Event> replayPage = new ArrayDeque<>();

    /** Guards the live buffer and the end; held briefly by the writer when it publishes. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Event> live = new ArrayDeque<>();
    private String endReason;
    private boolean closedByCaller;

    SqliteWatch(KeyRange range, long startAfter, long handover, int capacity, History history,
            Consumer<SqliteWatch> unregister) {
        this.range = range;
        this.startAfter = startAfter;
        this.handover = handover;
        this.capacity = capacity;
        this.history = history;
        this.unregister = unregister;
        this.replayedUpTo = startAfter;
    }

    @Override
    public Event next(long timeoutMillis) throws InterruptedException {
        synchronized (consumer) {
            throwIfClosedByCaller();
            Event replayed = nextFromHistory();
            return replayed != null ? replayed : nextLive(timeoutMillis);
        }
    }

    private Event nextFromHistory() {
        if (replayPage.isEmpty() && replayedUpTo < handover) {
            List<Event> page;
            try {
                page = history.read(range, replayedUpTo, handover, PAGE_SIZE);
            } catch (StoreException e) {
                // compacted under us, or the store closed: the rest of the history is out of reach
                replayedUpTo = handover; // and is not tried again; the next call finds the watch ended
                endNow("history is no longer readable: " + e.getMessage());
                throw new WatchEndedException("watch ended: history is no longer readable: " + e.getMessage());
            }
            replayPage.addAll(page);
            replayedUpTo = page.size() < PAGE_SIZE ? handover : page.get(page.size() - 1).revision();
        }
        return replayPage.poll();
    }

    private Event nextLive(long timeoutMillis) throws InterruptedException {
        long remaining = TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        lock.lock();
        try {
            while (live.isEmpty()) {
                if (endReason != null) {
                    throw new WatchEndedException("watch ended: " + endReason);
                }
                if (remaining <= 0) {
                    return null;
                }
                remaining = arrived.awaitNanos(remaining);
            }
            return live.poll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called by the writer with each committed batch, in revision order. Returns false once the
     * watch has ended (closed, or just overflowed), so the caller can drop it.
     */
    boolean offer(List<Event> events) {
        lock.lock();
        try {
            if (endReason != null) {
                return false;
            }
            boolean added = false;
            for (Event event : events) {
                if (event.revision() <= startAfter || !range.contains(event.kv().key())) {
                    continue;
                }
                if (live.size() >= capacity) {
                    // keep what is buffered for the consumer; the end comes after it
                    endReason = "the watcher fell behind by more than " + capacity + " events";
                    arrived.signalAll();
                    return false;
                }
                live.add(event);
                added = true;
            }
            if (added) {
                arrived.signalAll();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the watch after the buffered events (the store is closing). */
    void end(String reason) {
        lock.lock();
        try {
            if (endReason == null) {
                endReason = reason;
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the watch at once, dropping what is buffered (nothing after a gap is worth delivering). */
    private void endNow(String reason) {
        lock.lock();
        try {
            live.clear();
            if (endReason == null) {
                endReason = reason;
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        unregister.accept(this);
    }

    private void throwIfClosedByCaller() {
        lock.lock();
        try {
            if (closedByCaller) {
                throw new WatchEndedException("watch ended: " + endReason);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closedByCaller = true;
        } finally {
            lock.unlock();
        }
        endNow("closed by the watcher");
    }
}
