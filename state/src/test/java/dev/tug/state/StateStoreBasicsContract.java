package dev.tug.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every backend must do without preconditions. Subclasses supply a fresh, empty store for each test. */
abstract class StateStoreBasicsContract {

    protected abstract StateStore store();

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readOfMissingKeyIsEmpty() {
        assertTrue(store().read("demo/config").isEmpty());
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
}
