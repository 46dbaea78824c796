package dev.tug.controlplane.store;

import java.sql.SQLException;

/**
 * The tables of {@code state.db}.
 *
 * <ul>
 *   <li>{@code kv}: the live keys, one row each.
 *   <li>{@code log}: one row per write, keyed by its revision, so a watch can replay history.
 *       {@code value} is the new value (NULL for a delete); {@code prev_revision} and
 *       {@code prev_value} are the key's mod revision and value before the change (0 and NULL for
 *       a create), kept in the row so that replay after a compaction still has them.
 *   <li>{@code meta}: one row with the newest revision and the compacted revision. The revision
 *       lives here rather than being derived from {@code log}, because deletes and compaction can
 *       leave {@code log} empty and a revision must never be handed out twice.
 * </ul>
 */
final class Schema {
    static final int VERSION = 1;

    private Schema() {
    }

    static void createOrCheck(SqliteConnection db) throws SQLException {
        long version = db.queryLong("PRAGMA user_version");
        if (version > VERSION) {
            throw new SQLException("state.db has schema version " + version + "; this Tug knows up to " + VERSION);
        }
        db.beginWrite();
        try {
            db.execute("""
                    CREATE TABLE IF NOT EXISTS kv (
                      key TEXT PRIMARY KEY,
                      value BLOB NOT NULL,
                      create_revision INTEGER NOT NULL,
                      mod_revision INTEGER NOT NULL
                    )""");
            db.execute("""
                    CREATE TABLE IF NOT EXISTS log (
                      revision INTEGER PRIMARY KEY,
                      key TEXT NOT NULL,
                      type TEXT NOT NULL CHECK (type IN ('CREATED', 'UPDATED', 'DELETED')),
                      value BLOB,
                      create_revision INTEGER NOT NULL,
                      prev_revision INTEGER NOT NULL,
                      prev_value BLOB
                    )""");
            db.execute("""
                    CREATE TABLE IF NOT EXISTS meta (
                      id INTEGER PRIMARY KEY CHECK (id = 1),
                      revision INTEGER NOT NULL,
                      compacted_revision INTEGER NOT NULL
                    )""");
            db.execute("INSERT OR IGNORE INTO meta (id, revision, compacted_revision) VALUES (1, 0, 0)");
            db.execute("PRAGMA user_version = " + VERSION);
            db.commit();
        } catch (SQLException e) {
            db.rollbackQuietly();
            throw e;
        }
    }
}
