package dev.tug.controlplane.store;

import dev.tug.controlplane.store.Store.Event;
import dev.tug.controlplane.store.Store.EventType;
import dev.tug.controlplane.store.Store.KeyValue;
import dev.tug.controlplane.store.Store.Snapshot;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The queries of the read side, each on a connection borrowed from the {@link ReadPool}. */
final class Reads {
    private static final String GET =
            "SELECT value, create_revision, mod_revision FROM kv WHERE key = ?";
    private static final String LIST =
            "SELECT key, value, create_revision, mod_revision FROM kv WHERE key >= ? AND key < ? ORDER BY key";
    private static final String LIST_UNBOUNDED =
            "SELECT key, value, create_revision, mod_revision FROM kv WHERE key >= ? ORDER BY key";
    private static final String HISTORY_COLUMNS =
            "SELECT revision, key, type, value, create_revision, prev_revision, prev_value FROM log";
    private static final String HISTORY = HISTORY_COLUMNS
            + " WHERE revision > ? AND revision <= ? AND key >= ? AND key < ? ORDER BY revision LIMIT ?";
    private static final String HISTORY_UNBOUNDED = HISTORY_COLUMNS
            + " WHERE revision > ? AND revision <= ? AND key >= ? ORDER BY revision LIMIT ?";
    private static final String META_REVISION = "SELECT revision FROM meta WHERE id = 1";
    private static final String META_COMPACTED = "SELECT compacted_revision FROM meta WHERE id = 1";

    private Reads() {
    }

    static KeyValue get(SqliteConnection db, String key) throws SQLException {
        PreparedStatement statement = db.prepare(GET);
        statement.setString(1, key);
        try (ResultSet row = statement.executeQuery()) {
            return row.next() ? new KeyValue(key, row.getBytes(1), row.getLong(2), row.getLong(3)) : null;
        }
    }

    /** The items and the revision come from one read transaction, so they agree. */
    static Snapshot list(SqliteConnection db, KeyRange range) throws SQLException {
        db.beginRead();
        try {
            long revision = db.queryLong(META_REVISION);
            PreparedStatement statement = db.prepare(range.upper() == null ? LIST_UNBOUNDED : LIST);
            bindRange(statement, range, 1);
            List<KeyValue> items = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    items.add(new KeyValue(row.getString(1), row.getBytes(2), row.getLong(3), row.getLong(4)));
                }
            }
            db.commit();
            return new Snapshot(List.copyOf(items), revision);
        } catch (SQLException | RuntimeException e) {
            db.rollbackQuietly();
            throw e;
        }
    }

    /**
     * Up to {@code limit} logged changes under {@code range} with {@code after < revision <= upTo},
     * oldest first. Throws {@link RevisionCompactedException} if part of that history is gone.
     */
    static List<Event> history(SqliteConnection db, KeyRange range, long after, long upTo, int limit)
            throws SQLException {
        db.beginRead();
        try {
            long compacted = db.queryLong(META_COMPACTED);
            if (after < compacted) {
                throw new RevisionCompactedException(
                        "history after revision " + after + " is compacted (compacted up to " + compacted + ")");
            }
            PreparedStatement statement = db.prepare(range.upper() == null ? HISTORY_UNBOUNDED : HISTORY);
            statement.setLong(1, after);
            statement.setLong(2, upTo);
            int next = bindRange(statement, range, 3);
            statement.setInt(next, limit);
            List<Event> events = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    events.add(event(row));
                }
            }
            db.commit();
            return events;
        } catch (SQLException | RuntimeException e) {
            db.rollbackQuietly();
            throw e;
        }
    }

    /** Binds the range's bounds from {@code index}; returns the next free parameter index. */
    private static int bindRange(PreparedStatement statement, KeyRange range, int index) throws SQLException {
        statement.setString(index++, range.lower());
        if (range.upper() != null) {
            statement.setString(index++, range.upper());
        }
        return index;
    }

    private static Event event(ResultSet row) throws SQLException {
        long revision = row.getLong(1);
        String key = row.getString(2);
        EventType type = EventType.valueOf(row.getString(3));
        byte[] value = row.getBytes(4);
        long createRevision = row.getLong(5);
        long previousRevision = row.getLong(6);
        byte[] previousValue = row.getBytes(7);
        return LogEntry.event(type, key, value, createRevision, revision, previousValue, previousRevision);
    }
}
