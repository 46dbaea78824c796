package dev.tug.controlplane.store;

import static dev.tug.controlplane.store.SqliteStoreTest.bytes;
import static dev.tug.controlplane.store.SqliteStoreTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tug.controlplane.store.Store.Event;
import dev.tug.controlplane.store.Store.EventType;
import dev.tug.controlplane.store.Store.KeyValue;
import dev.tug.controlplane.store.Store.Watch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreWatchTest {
    @TempDir
    Path dir;
    SqliteStore store;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir, SqliteStore.Options.defaults().retainingRevisions(0));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void replaysHistoryFromAnOldRevisionThenFollowsLiveChanges() throws Exception {
        store.create("/a", bytes("one"));
        store.update("/a", bytes("two"), 1);
        store.create("/b", bytes("b"));
        store.delete("/a", 2);

        try (Watch watch = store.watch("/", 1)) {
            Event updated = watch.next(1000);
            assertEquals(EventType.UPDATED, updated.type());
            assertEquals("two", text(updated.kv()));
            assertEquals(2, updated.revision());
            assertEquals("one", text(updated.previous()));
            assertEquals(1, updated.previous().modRevision());

            Event created = watch.next(1000);
            assertEquals(EventType.CREATED, created.type());
            assertEquals(3, created.revision());
            assertEquals(3, created.kv().createRevision());
            assertNull(created.previous());

            Event deleted = watch.next(1000);
            assertEquals(EventType.DELETED, deleted.type());
            assertEquals(4, deleted.revision());
            assertEquals("two", text(deleted.kv()));
            assertEquals(1, deleted.kv().createRevision());
            assertEquals(2, deleted.previous().modRevision());

            assertNull(watch.next(50), "nothing more in history");

            store.create("/c", bytes("c"));
            // published before the write returns, so no waiting is needed
            Event live = watch.next(0);
            assertNotNull(live);
            assertEquals(5, live.revision());
            assertEquals("/c", live.kv().key());
        }
    }

    @Test
    void aWatchFromTheFutureStartsAfterThatRevision() throws Exception {
        store.create("/a", bytes("1"));
        try (Watch watch = store.watch("", 3)) {
            store.update("/a", bytes("2"), 0);
            store.update("/a", bytes("3"), 0);
            store.update("/a", bytes("4"), 0);
            assertEquals(4, watch.next(1000).revision());
            assertNull(watch.next(0));
        }
    }

    @Test
    void aPrefixWatchIgnoresOtherKeysInHistoryAndLive() throws Exception {
        store.create("/registry/pods/a", bytes("p"));
        store.create("/registry/podsx", bytes("x"));
        store.create("/registry/services/a", bytes("s"));
        try (Watch watch = store.watch("/registry/pods/", 0)) {
            store.create("/registry/pods/b", bytes("p"));
            store.create("/registry/pods", bytes("not under the prefix"));
            store.delete("/registry/pods/a", 0);

            List<String> seen = new ArrayList<>();
            Event event;
            while ((event = watch.next(100)) != null) {
                seen.add(event.type() + " " + event.kv().key() + "@" + event.revision());
            }
            assertEquals(List.of("CREATED /registry/pods/a@1", "CREATED /registry/pods/b@4",
                    "DELETED /registry/pods/a@6"), seen);
        }
    }

    @Test
    void replayReadsLongHistoryInPagesUnderAPrefix() throws Exception {
        for (int i = 0; i < 1500; i++) {
            store.create((i % 2 == 0 ? "/a/" : "/b/") + i, bytes("v" + i));
        }
        try (Watch watch = store.watch("/a/", 0)) {
            long previous = -1;
            for (int i = 0; i < 750; i++) {
                Event event = watch.next(1000);
                assertNotNull(event, "event " + i);
                assertEquals(2L * i + 1, event.revision());
                assertEquals("/a/" + 2 * i, event.kv().key());
                assertTrue(event.revision() > previous);
                previous = event.revision();
            }
            assertNull(watch.next(50));
        }
    }

    /**
     * Eight writers race while watches start at staggered revisions; every watch must see each
     * revision after its start exactly once and in order, across the history-to-live handover.
     */
    @Test
    void noGapOrDuplicateWhileEightThreadsWrite() throws Exception {
        for (int i = 0; i < 20; i++) {
            store.create("/seed/" + i, bytes("s"));
        }
        int writers = 8;
        int keysPerWriter = 125; // a create and an update each: 2,000 writes
        List<Watch> watches = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        watches.add(store.watch("", 0));
        starts.add(0L);

        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < keysPerWriter; i++) {
                    String key = "/w" + writer + "/" + i;
                    KeyValue created = store.create(key, bytes("c"));
                    store.update(key, bytes("u" + i), created.modRevision());
                }
                return null;
            }));
        }
        go.countDown();
        while (watches.size() < 40 && done.stream().anyMatch(f -> !f.isDone())) {
            long start = Math.max(0, store.currentRevision() - watches.size() * 7L);
            watches.add(store.watch("", start));
            starts.add(start);
            Thread.sleep(1);
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long last = store.currentRevision();
        assertEquals(20 + 2L * writers * keysPerWriter, last);
        assertTrue(watches.size() > 2, "watches should start while writers run");

        Map<String, String> replayed = new TreeMap<>();
        for (int i = 0; i < watches.size(); i++) {
            try (Watch watch = watches.get(i)) {
                long expected = starts.get(i) + 1;
                while (expected <= last) {
                    Event event = watch.next(5000);
                    if (event == null) {
                        fail("watch " + i + " from " + starts.get(i) + " stalled before revision " + expected);
                    }
                    assertEquals(expected, event.revision(), "watch " + i + " from " + starts.get(i));
                    if (i == 0) {
                        replayed.put(event.kv().key(), text(event.kv()));
                    }
                    expected++;
                }
                assertNull(watch.next(0), "no event past the last revision");
            }
        }
        Map<String, String> listed = new TreeMap<>();
        store.list("").items().forEach(kv -> listed.put(kv.key(), text(kv)));
        assertEquals(listed, replayed, "the events from 0 rebuild the final state");
    }

    @Test
    void aWatcherThatFallsBehindIsEndedAfterWhatItBuffered() throws Exception {
        store.close();
        store = SqliteStore.open(dir, SqliteStore.Options.defaults().withWatchBufferSize(10));
        try (Watch slow = store.watch("/", 0); Watch quiet = store.watch("/other/", 0)) {
            for (int i = 0; i < 25; i++) {
                store.create("/k" + i, bytes("v"));
            }
            for (int revision = 1; revision <= 10; revision++) {
                assertEquals(revision, slow.next(0).revision());
            }
            WatchEndedException ended = assertThrows(WatchEndedException.class, () -> slow.next(0));
            assertTrue(ended.getMessage().contains("fell behind"), ended.getMessage());
            assertThrows(WatchEndedException.class, () -> slow.next(0), "stays ended");

            // a watch whose prefix saw nothing is still running
            store.create("/other/x", bytes("v"));
            assertEquals(26, quiet.next(1000).revision());
        }
    }

    @Test
    void compactionInTheMiddleOfAReplayEndsTheWatchInsteadOfSkipping() throws Exception {
        for (int i = 0; i < 1200; i++) {
            store.create("/k" + i, bytes("v"));
        }
        try (Watch watch = store.watch("", 0)) {
            assertEquals(1, watch.next(1000).revision());
            store.compact(1000);
            long expected = 2;
            try {
                while (true) {
                    Event event = watch.next(1000);
                    assertNotNull(event);
                    assertEquals(expected++, event.revision(), "no revision may be skipped");
                }
            } catch (WatchEndedException e) {
                assertTrue(e.getMessage().contains("compacted"), e.getMessage());
            }
            assertTrue(expected <= 1000, "ended before the compacted gap, at " + expected);
            assertThrows(WatchEndedException.class, () -> watch.next(0), "stays ended");
        }
    }

    @Test
    void watchingACompactedRevisionFails() {
        for (int i = 0; i < 5; i++) {
            store.create("/k" + i, bytes("v"));
        }
        store.compact(3);
        RevisionCompactedException e = assertThrows(RevisionCompactedException.class, () -> store.watch("", 2));
        assertTrue(e.getMessage().contains("3"), e.getMessage());
        store.watch("", 3).close();
    }

    @Test
    void closingTheStoreEndsWatchesAfterTheirBufferedEvents() throws Exception {
        Watch buffered = store.watch("", 0);
        Watch waiting = store.watch("/nothing/", 0);
        store.create("/a", bytes("v"));

        CountDownLatch blocked = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Throwable> waiter = pool.submit(() -> {
            blocked.countDown();
            try {
                waiting.next(30_000);
                return null;
            } catch (WatchEndedException e) {
                return e;
            }
        });
        blocked.await();
        Thread.sleep(50);
        long began = System.nanoTime();
        store.close();

        assertTrue(waiter.get(5, TimeUnit.SECONDS) instanceof WatchEndedException, "a waiting next() is woken");
        assertTrue(System.nanoTime() - began < TimeUnit.SECONDS.toNanos(5));
        assertEquals(1, buffered.next(0).revision());
        assertThrows(WatchEndedException.class, () -> buffered.next(0));
        pool.shutdown();
    }

    @Test
    void closingAWatchEndsItForItsConsumer() throws Exception {
        Watch watch = store.watch("", 0);
        store.create("/a", bytes("v"));
        watch.close();
        watch.close();
        assertThrows(WatchEndedException.class, () -> watch.next(0));
        store.create("/b", bytes("v")); // publishing to a closed watch is harmless
        assertThrows(WatchEndedException.class, () -> watch.next(0));
    }
}
