package dev.tug.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every backend must do. Subclasses supply a fresh, empty store for each test. */
abstract class StateStoreContract {

    protected abstract StateStore store();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readOfMissingKeyIsEmpty() {
        assertTrue(store().read("demo/config").isEmpty());
    }

    @Test
    void writeThenReadGivesDataAndVersion() {
        String version = store().write("demo/config", bytes("one"), Precondition.absent());
        Blob blob = store().read("demo/config").orElseThrow();
        assertEquals("one", blob.text());
        assertEquals(version, blob.version());
    }

    @Test
    void createOnlyIfAbsent() {
        store().write("demo/config", bytes("mine"), Precondition.absent());
        ConflictException e = assertThrows(ConflictException.class,
                () -> store().write("demo/config", bytes("theirs"), Precondition.absent()));
        assertEquals("demo/config", e.key());
        assertEquals("mine", store().read("demo/config").orElseThrow().text(), "the first write survives");
    }

    @Test
    void replaceOnlyTheVersionThatWasRead() {
        String v1 = store().write("demo/config", bytes("v1"), Precondition.absent());
        String v2 = store().write("demo/config", bytes("v2"), Precondition.matches(v1));
        assertNotEquals(v1, v2);
        assertThrows(ConflictException.class, () -> store().write("demo/config", bytes("stale"), Precondition.matches(v1)));
        assertEquals("v2", store().read("demo/config").orElseThrow().text());
        assertThrows(ConflictException.class,
                () -> store().write("demo/other", bytes("x"), Precondition.matches(v2)), "matching needs an object");
    }

    @Test
    void listIsSortedAndStopsAtThePrefix() {
        for (String key : List.of("demo/config", "demo/instancegroup/nodes", "demo2/config", "demo/pki/ca.crt")) {
            store().write(key, bytes(key), Precondition.none());
        }
        assertEquals(List.of("demo/config", "demo/instancegroup/nodes", "demo/pki/ca.crt"), store().list("demo/"));
        assertEquals(List.of("demo/config", "demo/instancegroup/nodes", "demo/pki/ca.crt", "demo2/config"),
                store().list(""));
    }

    @Test
    void deleteIsIdempotent() {
        store().write("demo/config", bytes("x"), Precondition.none());
        store().delete("demo/config");
        store().delete("demo/config");
        assertTrue(store().read("demo/config").isEmpty());
        assertEquals(List.of(), store().list("demo/"));
    }

    @Test
    void binaryContentIsKeptExactly() {
        byte[] data = new byte[4096];
        new java.util.Random(7).nextBytes(data);
        store().write("demo/secrets/blob", data, Precondition.none());
        assertTrue(java.util.Arrays.equals(data, store().read("demo/secrets/blob").orElseThrow().data()));
    }

    /** Concurrent read-modify-write with retry on conflict: no increment may be lost. */
    @Test
    void concurrentWritersNeverLoseAnUpdate() throws Exception {
        store().write("demo/counter", bytes("0"), Precondition.absent());
        int writers = 4;
        int increments = 5;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Integer>> conflicts = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            conflicts.add(pool.submit(() -> {
                int seen = 0;
                for (int i = 0; i < increments; i++) {
                    while (true) {
                        Blob current = store().read("demo/counter").orElseThrow();
                        int next = Integer.parseInt(current.text()) + 1;
                        try {
                            store().write("demo/counter", bytes(String.valueOf(next)),
                                    Precondition.matches(current.version()));
                            break;
                        } catch (ConflictException e) {
                            seen++;
                        }
                    }
                }
                return seen;
            }));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(120, TimeUnit.SECONDS));
        for (Future<Integer> f : conflicts) {
            f.get();
        }
        assertEquals(String.valueOf(writers * increments), store().read("demo/counter").orElseThrow().text());
    }
}
