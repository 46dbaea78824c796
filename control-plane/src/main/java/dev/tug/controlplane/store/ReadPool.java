package dev.tug.controlplane.store;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of read-only connections. In WAL mode each one reads its own snapshot while the
 * writer commits, so reads never wait for writes.
 */
final class ReadPool implements AutoCloseable {
    /** How long {@link #close} waits for borrowed connections to come back before giving up on them. */
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    interface Query<T> {
        T run(SqliteConnection db) throws SQLException;
    }

    private final BlockingQueue<SqliteConnection> idle;
    private final int size;
    private volatile boolean closed;

    ReadPool(Path databaseFile, int size) throws SQLException {
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                idle.add(SqliteConnection.open(databaseFile, true));
            }
        } catch (SQLException e) {
            idle.forEach(SqliteConnection::close);
            throw e;
        }
    }

    <T> T read(Query<T> query) {
        SqliteConnection db = borrow();
        try {
            return query.run(db);
        } catch (SQLException e) {
            throw new StoreException("read failed: " + e.getMessage(), e);
        } finally {
            idle.add(db);
        }
    }

    private SqliteConnection borrow() {
        try {
            while (true) {
                if (closed) {
                    throw new StoreException("store is closed");
                }
                // poll with a timeout rather than take, so a reader waiting when the pool closes gets out
                SqliteConnection db = idle.poll(100, TimeUnit.MILLISECONDS);
                if (db != null) {
                    return db;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a read connection");
        }
    }

    @Override
    public void close() {
        closed = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        try {
            for (int i = 0; i < size; i++) {
                SqliteConnection db = idle.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (db == null) {
                    return; // a reader is stuck; its connection goes when the JVM does
                }
                db.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
