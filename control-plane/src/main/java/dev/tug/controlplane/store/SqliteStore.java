package dev.tug.controlplane.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedded {@link Store}: one SQLite database, {@code dataDir/state.db}, in WAL mode with
 * {@code synchronous=FULL}.
 *
 * <p>Writes go through one {@link GroupCommitWriter} thread that commits whatever is queued in one
 * transaction (one fsync) and only then returns to the callers. Reads use a small pool of
 * read-only connections and never wait for writes. Watches replay the {@code log} table and then
 * follow live events (see {@link Watchers} for the handover).
 *
 * <p>History is compacted automatically to the newest {@link Options#retainedRevisions()}
 * revisions (10,000 by default; 0 turns it off), checked after every write batch and done in
 * steps of a tenth of that. {@link #compact} works whether or not that is on.
 */
public final class SqliteStore implements Store {
    /** Tuning; {@link #defaults()} suits the API server. */
    public record Options(long retainedRevisions, int watchBufferSize, int readConnections, int maxBatchSize) {
        public static final long DEFAULT_RETAINED_REVISIONS = 10_000;
        public static final int DEFAULT_WATCH_BUFFER_SIZE = 10_000;

        public Options {
            if (retainedRevisions < 0 || watchBufferSize < 1 || readConnections < 1 || maxBatchSize < 1) {
                throw new IllegalArgumentException("invalid store options " + this);
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_RETAINED_REVISIONS, DEFAULT_WATCH_BUFFER_SIZE, 4, 1_000);
        }

        /** Keep the newest {@code revisions} of history; 0 keeps everything until {@link #compact}. */
        public Options retainingRevisions(long revisions) {
            return new Options(revisions, watchBufferSize, readConnections, maxBatchSize);
        }

        /** Events a watch may buffer before it is ended for falling behind. */
        public Options withWatchBufferSize(int events) {
            return new Options(retainedRevisions, events, readConnections, maxBatchSize);
        }
    }

    private final Path databaseFile;
    private final DataDirLock dataDirLock;
    private final ReadPool reads;
    private final Watchers watchers;
    private final GroupCommitWriter writer;
    private boolean closed; // guarded by this

    private SqliteStore(Path databaseFile, DataDirLock dataDirLock, ReadPool reads, Watchers watchers,
            GroupCommitWriter writer) {
        this.databaseFile = databaseFile;
        this.dataDirLock = dataDirLock;
        this.reads = reads;
        this.watchers = watchers;
        this.writer = writer;
    }

    public static SqliteStore open(Path dataDir) {
        return open(dataDir, Options.defaults());
    }

    /** Creates {@code dataDir} and {@code state.db} if missing. Only one open store per directory. */
    public static SqliteStore open(Path dataDir, Options options) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create " + dataDir + ": " + e.getMessage(), e);
        }
        Path databaseFile = dataDir.resolve("state.db");
        DataDirLock lock = DataDirLock.acquire(dataDir);
        SqliteConnection writeConnection = null;
        ReadPool reads = null;
        try {
            writeConnection = SqliteConnection.open(databaseFile, false);
            Schema.createOrCheck(writeConnection);
            long revision = writeConnection.queryLong("SELECT revision FROM meta WHERE id = 1");
            long compacted = writeConnection.queryLong("SELECT compacted_revision FROM meta WHERE id = 1");
            reads = new ReadPool(databaseFile, options.readConnections());
            ReadPool historyReads = reads;
            Watchers watchers = new Watchers(revision, compacted, options.watchBufferSize(),
                    (range, after, upTo, limit) -> historyReads.read(db -> Reads.history(db, range, after, upTo, limit)));
            GroupCommitWriter writer = new GroupCommitWriter(writeConnection, revision, compacted,
                    options.maxBatchSize(), options.retainedRevisions(), watchers);
            return new SqliteStore(databaseFile, lock, reads, watchers, writer);
        } catch (SQLException | RuntimeException e) {
            if (reads != null) {
                reads.close();
            }
            if (writeConnection != null) {
                writeConnection.close();
            }
            lock.close();
            if (e instanceof StoreException storeException) {
                throw storeException;
            }
            throw new StoreException("cannot open " + databaseFile + ": " + e.getMessage(), e);
        }
    }

    public Path databaseFile() {
        return databaseFile;
    }

    /** Write transactions committed since open; with concurrent writers, fewer than the writes. */
    public long committedTransactions() {
        return writer.transactions();
    }

    @Override
    public long currentRevision() {
        return writer.revision();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        checkKey(key);
        return Optional.ofNullable(reads.read(db -> Reads.get(db, key)));
    }

    @Override
    public Snapshot list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        KeyRange range = new KeyRange(prefix);
        return reads.read(db -> Reads.list(db, range));
    }

    @Override
    public KeyValue create(String key, byte[] value) {
        checkKey(key);
        return writer.submit(WriteRequest.create(key, copy(value)));
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision) {
        checkKey(key);
        return writer.submit(WriteRequest.update(key, copy(value), expectedModRevision));
    }

    @Override
    public KeyValue delete(String key, long expectedModRevision) {
        checkKey(key);
        return writer.submit(WriteRequest.delete(key, expectedModRevision));
    }

    @Override
    public Watch watch(String prefix, long afterRevision) {
        Objects.requireNonNull(prefix, "prefix");
        return watchers.register(prefix, afterRevision);
    }

    /**
     * Goes through the writer like any write, so it is ordered with them. Compacting at or below
     * {@link #compactedRevision()} does nothing; past {@link #currentRevision()} it fails.
     */
    @Override
    public void compact(long revision) {
        writer.submit(WriteRequest.compact(revision));
    }

    @Override
    public long compactedRevision() {
        return writer.compactedRevision();
    }

    /** Commits the writes already queued, then ends every watch and closes the database. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        writer.stop();
        watchers.closeAll();
        reads.close();
        dataDirLock.close();
    }

    private static void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("the key is empty");
        }
    }

    /** The value is shared with every watcher of the event, so it must not change under them. */
    private static byte[] copy(byte[] value) {
        return Objects.requireNonNull(value, "value").clone();
    }
}
