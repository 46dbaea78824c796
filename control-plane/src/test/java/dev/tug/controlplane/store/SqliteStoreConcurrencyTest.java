package dev.tug.controlplane.store;

import static dev.tug.controlplane.store.SqliteStoreTest.bytes;
import static dev.tug.controlplane.store.SqliteStoreTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tug.controlplane.store.Store.KeyValue;
import dev.tug.controlplane.store.Store.Snapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreConcurrencyTest {
    @TempDir
    Path dir;
    SqliteStore store;
    ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        store.close();
    }

    @Test
    void concurrentWritersGetDistinctIncreasingRevisionsInFewerTransactions() throws Exception {
        int writers = 16;
        int perWriter = 100;
        List<Callable<List<Long>>> tasks = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            tasks.add(() -> {
                List<Long> revisions = new ArrayList<>();
                for (int i = 0; i < perWriter; i++) {
                    revisions.add(store.create("/w" + writer + "/" + i, bytes("v")).modRevision());
                }
                return revisions;
            });
        }
        TreeSet<Long> all = new TreeSet<>();
        for (List<Long> revisions : runTogether(tasks)) {
            for (int i = 1; i < revisions.size(); i++) {
                assertTrue(revisions.get(i) > revisions.get(i - 1), "one caller's revisions increase");
            }
            all.addAll(revisions);
        }
        int writes = writers * perWriter;
        assertEquals(writes, all.size(), "no revision handed out twice");
        assertEquals(1, all.first());
        assertEquals(writes, all.last(), "no revision skipped");
        assertEquals(writes, store.currentRevision());
        long transactions = store.committedTransactions();
        assertTrue(transactions < writes, "group commit should batch: " + transactions + " transactions");
    }

    /**
     * Compare-and-swap increments from eight threads: requests batched together must each see the
     * writes before them, so exactly one of several racing with the same expected revision wins.
     */
    @Test
    void conditionalUpdatesInOneBatchSeeEachOther() throws Exception {
        store.create("/counter", bytes("0"));
        int threads = 8;
        int incrementsEach = 40;
        AtomicInteger conflicts = new AtomicInteger();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            tasks.add(() -> {
                for (int done = 0; done < incrementsEach; ) {
                    KeyValue current = store.get("/counter").orElseThrow();
                    int next = Integer.parseInt(text(current)) + 1;
                    try {
                        store.update("/counter", bytes(Integer.toString(next)), current.modRevision());
                        done++;
                    } catch (RevisionMismatchException e) {
                        conflicts.incrementAndGet();
                    }
                }
                return null;
            });
        }
        runTogether(tasks);
        KeyValue counter = store.get("/counter").orElseThrow();
        assertEquals(Integer.toString(threads * incrementsEach), text(counter));
        assertEquals(1 + threads * incrementsEach, counter.modRevision(), "failed updates use no revision");
        assertEquals(counter.modRevision(), store.currentRevision());
        assertTrue(conflicts.get() > 0, "eight racing threads should collide at least once");
    }

    /** With creates only, a consistent snapshot at revision r holds exactly r keys. */
    @Test
    void listsDuringWritesAreConsistentSnapshots() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Callable<Integer>> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            readers.add(() -> {
                int checked = 0;
                while (writing.get() || checked == 0) {
                    Snapshot snapshot = store.list("/");
                    assertEquals(snapshot.revision(), snapshot.items().size(), "items and revision disagree");
                    for (KeyValue kv : snapshot.items()) {
                        assertTrue(kv.modRevision() <= snapshot.revision());
                    }
                    checked++;
                }
                return checked;
            });
        }
        List<Future<Integer>> reading = new ArrayList<>();
        for (Callable<Integer> reader : readers) {
            reading.add(pool.submit(reader));
        }
        List<Callable<Void>> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            writers.add(() -> {
                for (int i = 0; i < 100; i++) {
                    store.create("/w" + writer + "/" + i, bytes("v"));
                }
                return null;
            });
        }
        runTogether(writers);
        writing.set(false);
        for (Future<Integer> reader : reading) {
            assertTrue(reader.get(30, TimeUnit.SECONDS) > 0);
        }
        assertEquals(800, store.list("/").items().size());
    }

    private <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(() -> {
                go.await();
                return task.call();
            }));
        }
        go.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(60, TimeUnit.SECONDS));
        }
        return results;
    }
}
