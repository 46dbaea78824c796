package dev.tug.controlplane.store;

import dev.tug.controlplane.store.Store.Event;
import dev.tug.controlplane.store.Store.EventType;
import dev.tug.controlplane.store.Store.KeyValue;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer. Callers queue {@link WriteRequest}s; one thread takes everything queued (up to
 * a batch limit), applies it in one SQLite transaction, commits (one fsync for the whole batch),
 * hands the events to the {@link Listener} and then releases the callers. Each request in a batch
 * gets its own revision and its own precondition check against the state left by the requests
 * before it, exactly as if they had run one by one; a failed precondition fails only its caller.
 */
final class GroupCommitWriter {
    /** Told of every committed batch, on the writer thread, before the callers are released. */
    interface Listener {
        void committed(List<Event> events, long revision, long compactedRevision);
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final WriteRequest STOP = WriteRequest.compact(-1);

    private static final String SELECT_KEY =
            "SELECT value, create_revision, mod_revision FROM kv WHERE key = ?";
    private static final String INSERT_KEY =
            "INSERT INTO kv (key, value, create_revision, mod_revision) VALUES (?, ?, ?, ?)";
    private static final String UPDATE_KEY = "UPDATE kv SET value = ?, mod_revision = ? WHERE key = ?";
    private static final String DELETE_KEY = "DELETE FROM kv WHERE key = ?";
    private static final String INSERT_LOG = "INSERT INTO log"
            + " (revision, key, type, value, create_revision, prev_revision, prev_value) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String DELETE_LOG_UP_TO = "DELETE FROM log WHERE revision <= ?";
    private static final String UPDATE_META = "UPDATE meta SET revision = ?, compacted_revision = ? WHERE id = 1";

    private final SqliteConnection db;
    private final Listener listener;
    private final int maxBatchSize;
    private final long retainedRevisions;
    private final long compactionStep;
    private final BlockingQueue<WriteRequest> queue = new LinkedBlockingQueue<>();
    private final Object admission = new Object();
    private boolean stopping; // guarded by admission
    private final Thread thread;
    private final AtomicLong transactions = new AtomicLong();
    private volatile long revision;
    private volatile long compactedRevision;

    /**
     * @param retainedRevisions 0 turns automatic compaction off; otherwise history is cut back to the
     *     newest {@code retainedRevisions} revisions, in steps of a tenth of that so that each
     *     compaction is a small delete rather than one row per write
     */
    GroupCommitWriter(SqliteConnection db, long revision, long compactedRevision, int maxBatchSize,
            long retainedRevisions, Listener listener) {
        this.db = db;
        this.revision = revision;
        this.compactedRevision = compactedRevision;
        this.maxBatchSize = maxBatchSize;
        this.retainedRevisions = retainedRevisions;
        this.compactionStep = Math.max(1, retainedRevisions / 10);
        this.listener = listener;
        this.thread = new Thread(this::run, "tug-store-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    long revision() {
        return revision;
    }

    long compactedRevision() {
        return compactedRevision;
    }

    /** Write transactions committed so far; fewer than writes when batching works. */
    long transactions() {
        return transactions.get();
    }

    /** Queues the request and waits until it is committed (or failed). */
    KeyValue submit(WriteRequest request) {
        synchronized (admission) {
            if (stopping) {
                throw new StoreException("store is closed");
            }
            queue.add(request);
        }
        return request.await();
    }

    /** Commits what is already queued, refuses anything later, and closes the connection. */
    void stop() {
        synchronized (admission) {
            if (stopping) {
                return;
            }
            stopping = true;
            queue.add(STOP);
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // finish closing: the database must not be left to a running writer
            }
        }
        db.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<WriteRequest> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread; STOP ends it
            }
            queue.drainTo(batch, maxBatchSize - 1);
            // STOP is queued after everything admitted, so it can only be last
            stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                commit(batch);
            }
            batch.clear();
            compactIfDue();
        }
    }

    private void compactIfDue() {
        if (retainedRevisions <= 0) {
            return;
        }
        long target = revision - retainedRevisions;
        if (target - compactedRevision >= compactionStep) {
            commit(List.of(WriteRequest.compact(target))); // nobody waits on this request
        }
    }

    private void commit(List<WriteRequest> batch) {
        long nextRevision = revision;
        long compactedTo = compactedRevision;
        List<Event> events = new ArrayList<>(batch.size());
        Object[] outcomes = new Object[batch.size()]; // KeyValue, null or StoreException
        try {
            db.beginWrite();
            for (int i = 0; i < batch.size(); i++) {
                WriteRequest request = batch.get(i);
                try {
                    if (request.kind == WriteRequest.Kind.COMPACT) {
                        compactedTo = compact(request.revision, nextRevision, compactedTo);
                    } else {
                        Event event = apply(request, nextRevision + 1);
                        nextRevision++;
                        events.add(event);
                        outcomes[i] = event.kv();
                    }
                } catch (StoreException refused) {
                    outcomes[i] = refused;
                }
            }
            boolean changed = nextRevision != revision || compactedTo != compactedRevision;
            if (changed) {
                PreparedStatement meta = db.prepare(UPDATE_META);
                meta.setLong(1, nextRevision);
                meta.setLong(2, compactedTo);
                meta.executeUpdate();
            }
            db.commit();
            if (changed) {
                transactions.incrementAndGet();
            }
        } catch (SQLException | RuntimeException e) {
            db.rollbackQuietly();
            // the callers get the exception too; this is for automatic compaction, which has no caller
            LOG.warn("a batch of {} writes failed and was rolled back", batch.size(), e);
            StoreException failure = new StoreException("write failed: " + e.getMessage(), e);
            batch.forEach(request -> request.fail(failure));
            return;
        }
        revision = nextRevision;
        compactedRevision = compactedTo;
        try {
            // watchers first, so a watch that exists when a write returns already holds its event
            listener.committed(events, nextRevision, compactedTo);
        } finally {
            for (int i = 0; i < batch.size(); i++) {
                if (outcomes[i] instanceof StoreException refused) {
                    batch.get(i).fail(refused);
                } else {
                    batch.get(i).succeed((KeyValue) outcomes[i]);
                }
            }
        }
    }

    /** Applies one create, update or delete at {@code newRevision}; throws if its precondition fails. */
    private Event apply(WriteRequest request, long newRevision) throws SQLException {
        KeyValue current = select(request.key);
        if (request.kind == WriteRequest.Kind.CREATE) {
            if (current != null) {
                throw new KeyExistsException("key " + request.key + " already exists");
            }
            PreparedStatement insert = db.prepare(INSERT_KEY);
            insert.setString(1, request.key);
            insert.setBytes(2, request.value);
            insert.setLong(3, newRevision);
            insert.setLong(4, newRevision);
            insert.executeUpdate();
            return log(EventType.CREATED, request.key, request.value, newRevision, newRevision, null);
        }
        if (current == null) {
            throw new KeyNotFoundException("key " + request.key + " not found");
        }
        if (request.revision != 0 && request.revision != current.modRevision()) {
            throw new RevisionMismatchException("key " + request.key + " is at revision " + current.modRevision()
                    + ", not " + request.revision);
        }
        if (request.kind == WriteRequest.Kind.UPDATE) {
            PreparedStatement update = db.prepare(UPDATE_KEY);
            update.setBytes(1, request.value);
            update.setLong(2, newRevision);
            update.setString(3, request.key);
            update.executeUpdate();
            return log(EventType.UPDATED, request.key, request.value, current.createRevision(), newRevision, current);
        }
        PreparedStatement delete = db.prepare(DELETE_KEY);
        delete.setString(1, request.key);
        delete.executeUpdate();
        return log(EventType.DELETED, request.key, null, current.createRevision(), newRevision, current);
    }

    private KeyValue select(String key) throws SQLException {
        PreparedStatement select = db.prepare(SELECT_KEY);
        select.setString(1, key);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? new KeyValue(key, row.getBytes(1), row.getLong(2), row.getLong(3)) : null;
        }
    }

    private Event log(EventType type, String key, byte[] value, long createRevision, long newRevision,
            KeyValue previous) throws SQLException {
        PreparedStatement insert = db.prepare(INSERT_LOG);
        insert.setLong(1, newRevision);
        insert.setString(2, key);
        insert.setString(3, type.name());
        insert.setBytes(4, value);
        insert.setLong(5, createRevision);
        insert.setLong(6, previous == null ? 0 : previous.modRevision());
        insert.setBytes(7, previous == null ? null : previous.value());
        insert.executeUpdate();
        return LogEntry.event(type, key, value, createRevision, newRevision,
                previous == null ? null : previous.value(), previous == null ? 0 : previous.modRevision());
    }

    /** Drops history up to {@code target}; returns the new compacted revision. */
    private long compact(long target, long newestRevision, long compactedTo) throws SQLException {
        if (target > newestRevision) {
            throw new StoreException("cannot compact to revision " + target + ": the newest is " + newestRevision);
        }
        if (target <= compactedTo) {
            return compactedTo; // already done; compacting is idempotent
        }
        PreparedStatement delete = db.prepare(DELETE_LOG_UP_TO);
        delete.setLong(1, target);
        delete.executeUpdate();
        return target;
    }
}
