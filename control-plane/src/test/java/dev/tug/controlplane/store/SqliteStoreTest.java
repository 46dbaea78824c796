package dev.tug.controlplane.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tug.controlplane.store.Store.KeyValue;
import dev.tug.controlplane.store.Store.Snapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {
    @TempDir
    Path dir;
    SqliteStore store;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    static String text(KeyValue kv) {
        return new String(kv.value(), UTF_8);
    }

    @Test
    void emptyStoreIsAtRevisionZero() {
        assertEquals(0, store.currentRevision());
        assertEquals(0, store.compactedRevision());
        assertEquals(Optional.empty(), store.get("a"));
        assertEquals(new Snapshot(List.of(), 0), store.list(""));
    }

    @Test
    void createThenGetCarriesTheRevisions() {
        KeyValue created = store.create("/a", bytes("one"));
        assertEquals(1, created.createRevision());
        assertEquals(1, created.modRevision());
        assertEquals(1, store.currentRevision());

        KeyValue read = store.get("/a").orElseThrow();
        assertEquals("one", text(read));
        assertEquals(1, read.createRevision());
        assertEquals(1, read.modRevision());
    }

    @Test
    void createOfALiveKeyFailsAndUsesNoRevision() {
        store.create("/a", bytes("one"));
        assertThrows(KeyExistsException.class, () -> store.create("/a", bytes("two")));
        assertEquals(1, store.currentRevision());
        assertEquals("one", text(store.get("/a").orElseThrow()));
    }

    @Test
    void updateMovesModRevisionAndKeepsCreateRevision() {
        store.create("/other", bytes("x"));
        KeyValue created = store.create("/a", bytes("one"));
        KeyValue updated = store.update("/a", bytes("two"), created.modRevision());
        assertEquals(2, updated.createRevision());
        assertEquals(3, updated.modRevision());
        assertEquals("two", text(store.get("/a").orElseThrow()));

        KeyValue unconditional = store.update("/a", bytes("three"), 0);
        assertEquals(4, unconditional.modRevision());
        assertEquals(2, unconditional.createRevision());
    }

    @Test
    void updateWithAStaleRevisionFails() {
        KeyValue created = store.create("/a", bytes("one"));
        store.update("/a", bytes("two"), 0);
        RevisionMismatchException e = assertThrows(RevisionMismatchException.class,
                () -> store.update("/a", bytes("three"), created.modRevision()));
        assertTrue(e.getMessage().contains("/a"), e.getMessage());
        assertEquals("two", text(store.get("/a").orElseThrow()));
        assertEquals(2, store.currentRevision());
    }

    @Test
    void updateOrDeleteOfAMissingKeyFails() {
        assertThrows(KeyNotFoundException.class, () -> store.update("/missing", bytes("x"), 0));
        assertThrows(KeyNotFoundException.class, () -> store.delete("/missing", 0));
        assertEquals(0, store.currentRevision());
    }

    @Test
    void deleteReturnsTheLastValueAtTheDeleteRevision() {
        KeyValue created = store.create("/a", bytes("one"));
        assertThrows(RevisionMismatchException.class, () -> store.delete("/a", created.modRevision() + 5));

        KeyValue deleted = store.delete("/a", created.modRevision());
        assertEquals("one", text(deleted));
        assertEquals(1, deleted.createRevision());
        assertEquals(2, deleted.modRevision());
        assertEquals(Optional.empty(), store.get("/a"));
        assertThrows(KeyNotFoundException.class, () -> store.delete("/a", 0));

        KeyValue recreated = store.create("/a", bytes("again"));
        assertEquals(3, recreated.createRevision());
    }

    @Test
    void theCallersArrayIsCopied() {
        byte[] value = bytes("one");
        store.create("/a", value);
        value[0] = 'X';
        assertEquals("one", text(store.get("/a").orElseThrow()));
    }

    @Test
    void emptyOrNullKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> store.create("", bytes("x")));
        assertThrows(NullPointerException.class, () -> store.create(null, bytes("x")));
        assertThrows(NullPointerException.class, () -> store.create("/a", null));
    }

    @Test
    void listReturnsSortedItemsUnderThePrefixWithTheRevision() {
        store.create("/registry/pods/b", bytes("b"));
        store.create("/registry/pods/a", bytes("a"));
        store.create("/registry/podsx", bytes("not a pod"));
        store.create("/registry/services/a", bytes("s"));
        store.delete("/registry/services/a", 0);

        Snapshot pods = store.list("/registry/pods/");
        assertEquals(List.of("/registry/pods/a", "/registry/pods/b"), keys(pods));
        assertEquals(5, pods.revision());
        assertEquals(2, pods.items().get(0).modRevision());

        assertEquals(List.of(), keys(store.list("/registry/services/")));
        assertEquals(3, keys(store.list("/registry/")).size());
        assertEquals(3, store.list("").items().size());
    }

    @Test
    void prefixesWithLikeWildcardsAreLiteral() {
        store.create("a%b/1", bytes("x"));
        store.create("axb/1", bytes("x"));
        store.create("a_b/1", bytes("x"));
        store.create("acb/1", bytes("x"));
        store.create("a\\b/1", bytes("x"));

        assertEquals(List.of("a%b/1"), keys(store.list("a%")));
        assertEquals(List.of("a_b/1"), keys(store.list("a_")));
        assertEquals(List.of("a\\b/1"), keys(store.list("a\\")));
    }

    @Test
    void prefixesAtTheTopOfUnicodeAreExact() {
        String maxBmp = "k\uffff";
        String supplementary = "k\uD83D\uDE00"; // U+1F600, above U+FFFF, sorts after it in UTF-8
        String maxCodePoint = "k" + new String(Character.toChars(Character.MAX_CODE_POINT));
        store.create(maxBmp + "/1", bytes("x"));
        store.create(supplementary + "/1", bytes("x"));
        store.create(maxCodePoint + "/1", bytes("x"));
        store.create(maxCodePoint + maxCodePoint, bytes("x"));
        store.create("l", bytes("x"));
        store.create("k\uD7FF/1", bytes("x"));
        store.create("k\uE000/1", bytes("x"));

        assertEquals(List.of(maxBmp + "/1"), keys(store.list(maxBmp)));
        assertEquals(List.of(supplementary + "/1"), keys(store.list(supplementary)));
        assertEquals(List.of(maxCodePoint + "/1", maxCodePoint + maxCodePoint), keys(store.list(maxCodePoint)));
        assertEquals(List.of("k\uD7FF/1"), keys(store.list("k\uD7FF")));
        assertEquals(6, store.list("k").items().size());
        assertEquals(7, store.list("").items().size());
    }

    @Test
    void successorIncrementsTheLastCodePoint() {
        assertEquals("b", KeyRange.successor("a"));
        assertEquals("a/0", KeyRange.successor("a//"));
        assertNull(KeyRange.successor(""));
        String max = new String(Character.toChars(Character.MAX_CODE_POINT));
        assertEquals("b", KeyRange.successor("a" + max + max));
        assertNull(KeyRange.successor(max));
        assertEquals("a\uE000", KeyRange.successor("a\uD7FF"));
        assertEquals("a\uD800\uDC00", KeyRange.successor("a\uFFFF"));
    }

    @Test
    void revisionsSurviveCloseAndReopenIncludingDeletesAndCompaction() {
        store.create("/a", bytes("one"));
        store.update("/a", bytes("two"), 0);
        store.create("/b", bytes("b"));
        store.delete("/b", 0);
        store.delete("/a", 0);
        store.compact(5); // log and table both empty now: the revision must still be remembered
        store.close();

        store = SqliteStore.open(dir);
        assertEquals(5, store.currentRevision());
        assertEquals(5, store.compactedRevision());
        assertEquals(new Snapshot(List.of(), 5), store.list(""));
        assertEquals(6, store.create("/c", bytes("c")).modRevision());
        store.close();

        store = SqliteStore.open(dir);
        KeyValue c = store.get("/c").orElseThrow();
        assertEquals("c", text(c));
        assertEquals(6, c.createRevision());
        assertEquals(7, store.update("/c", bytes("c2"), 6).modRevision());
    }

    @Test
    void secondOpenOfTheSameDirectoryFails() {
        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(dir));
        assertTrue(e.getMessage().contains("already open"), e.getMessage());
    }

    @Test
    void closeIsIdempotentAndRefusesLaterCalls() {
        store.create("/a", bytes("x"));
        store.close();
        store.close();
        assertThrows(StoreException.class, () -> store.create("/b", bytes("x")));
        assertThrows(StoreException.class, () -> store.get("/a"));
        assertThrows(StoreException.class, () -> store.list(""));
        assertThrows(StoreException.class, () -> store.watch("", 0));
        // the directory lock went with the close
        store = SqliteStore.open(dir);
        assertEquals(1, store.currentRevision());
    }

    @Test
    void connectionsUseWalAndFullSync() throws Exception {
        try (SqliteConnection db = SqliteConnection.open(dir.resolve("state.db"), true)) {
            assertEquals("wal", db.queryString("PRAGMA journal_mode"));
            assertEquals(2, db.queryLong("PRAGMA synchronous")); // 2 = FULL
            assertEquals(10_000, db.queryLong("PRAGMA busy_timeout"));
        }
    }

    @Test
    void compactDiscardsHistoryButNotKeys() {
        for (int i = 0; i < 10; i++) {
            store.create("/k" + i, bytes("v" + i));
        }
        store.compact(5);
        assertEquals(5, store.compactedRevision());
        assertEquals(10, store.list("/").items().size());

        store.compact(3); // older than what is compacted: nothing to do
        assertEquals(5, store.compactedRevision());
        StoreException future = assertThrows(StoreException.class, () -> store.compact(11));
        assertTrue(future.getMessage().contains("newest is 10"), future.getMessage());
        assertEquals(5, store.compactedRevision());

        assertThrows(RevisionCompactedException.class, () -> store.watch("/", 4));
        try (Store.Watch watch = store.watch("/", 5)) {
            assertEquals(6, watch.next(1000).revision());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void automaticCompactionKeepsTheNewestRevisions() {
        store.close();
        store = SqliteStore.open(dir, SqliteStore.Options.defaults().retainingRevisions(100));
        for (int i = 0; i < 300; i++) {
            store.create("/k" + i, bytes("v"));
        }
        // the writer compacts after releasing the callers; a no-op compact queues behind that
        store.compact(0);
        long compacted = store.compactedRevision();
        // in steps of 10 once more than 100 revisions are kept: 300 - 100 = 200 is a step boundary
        assertEquals(200, compacted);
        assertThrows(RevisionCompactedException.class, () -> store.watch("", compacted - 1));
        store.watch("", compacted).close();
        assertEquals(300, store.list("").items().size());
    }

    @Test
    void automaticCompactionCanBeTurnedOff() {
        store.close();
        store = SqliteStore.open(dir, SqliteStore.Options.defaults().retainingRevisions(0));
        for (int i = 0; i < 50; i++) {
            store.create("/k" + i, bytes("v"));
        }
        assertEquals(0, store.compactedRevision());
    }

    private static List<String> keys(Snapshot snapshot) {
        return snapshot.items().stream().map(KeyValue::key).toList();
    }
}
