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

/** The whole contract: the basics plus conditional writes, which detect concurrent changes. */
abstract class StateStoreContract extends StateStoreBasicsContract {

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
