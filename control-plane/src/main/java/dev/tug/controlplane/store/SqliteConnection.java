package dev.tug.controlplane.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * One SQLite connection with the durability settings the store needs, its prepared statements
 * cached by SQL text, and explicit transactions (the connection stays in auto-commit mode and we
 * issue BEGIN/COMMIT ourselves, so no transaction is left open between uses). Not thread-safe:
 * each instance is used by one thread at a time (the writer thread, or a borrower from the read pool).
 */
final class SqliteConnection implements AutoCloseable {
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    private SqliteConnection(Connection connection) {
        this.connection = connection;
    }

    static SqliteConnection open(Path databaseFile, boolean readOnly) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + databaseFile.toAbsolutePath());
        SqliteConnection sqlite = new SqliteConnection(connection);
        try {
            sqlite.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
            // WAL: readers see a consistent snapshot while the writer commits. Persistent in the file.
            String mode = sqlite.queryString("PRAGMA journal_mode = WAL");
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new SQLException("cannot switch " + databaseFile + " to WAL journal mode (got " + mode + ")");
            }
            // FULL: the WAL is fsynced at every commit, so a commit that returned survives power loss.
            sqlite.execute("PRAGMA synchronous = FULL");
            if (readOnly) {
                sqlite.execute("PRAGMA query_only = 1");
            }
        } catch (SQLException e) {
            sqlite.close();
            throw e;
        }
        return sqlite;
    }

    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    String queryString(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    long queryLong(String sql) throws SQLException {
        try (ResultSet rows = prepare(sql).executeQuery()) {
            if (!rows.next()) {
                throw new SQLException("no row for " + sql);
            }
            return rows.getLong(1);
        }
    }

    /** Starts a read transaction: every query until {@link #commit} sees the same snapshot. */
    void beginRead() throws SQLException {
        execute("BEGIN DEFERRED");
    }

    /** Starts a write transaction, taking the write lock at once rather than on the first write. */
    void beginWrite() throws SQLException {
        execute("BEGIN IMMEDIATE");
    }

    void commit() throws SQLException {
        execute("COMMIT");
    }

    /** Undoes an open transaction, if any; used on a failure path, so it reports nothing. */
    void rollbackQuietly() {
        try {
            execute("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction was open, or the connection is broken; either way nothing to undo
        }
    }

    @Override
    public void close() {
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        statements.clear();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
