package dev.tug.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest extends StateStoreContract {
    @TempDir
    Path dir;
    private FileStateStore store;

    @BeforeEach
    void open() {
        store = new FileStateStore(dir.resolve("state"));
    }

    @Override
    protected StateStore store() {
        return store;
    }

    @Test
    void secretsAreOwnerOnlyAndNoTempFilesRemain() throws Exception {
        store.write("demo/pki/private/ca.key", "key".getBytes(), Precondition.absent());
        Path key = dir.resolve("state/demo/pki/private/ca.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent())));
        try (Stream<Path> files = Files.walk(dir)) {
            assertFalse(files.anyMatch(p -> p.toString().endsWith(".tug-tmp")));
        }
    }

    @Test
    void deleteRemovesEmptyFolders() {
        store.write("demo/instancegroup/nodes", "x".getBytes(), Precondition.none());
        store.delete("demo/instancegroup/nodes");
        assertFalse(Files.exists(dir.resolve("state/demo")));
    }

    @Test
    void listingWhileAnotherThreadDeletesNeverFails() throws Exception {
        var done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread churn = new Thread(() -> {
            for (int i = 0; i < 400; i++) {
                store.write("c" + (i % 4) + "/instancegroup/g", "x".getBytes(), Precondition.none());
                store.delete("c" + (i % 4) + "/instancegroup/g");
            }
            done.set(true);
        });
        churn.start();
        while (!done.get()) {
            store.list("");
        }
        churn.join();
        assertEquals(java.util.List.of(), store.list(""));
    }

    @Test
    void keysCannotEscapeTheRoot() {
        assertThrows(StateStoreException.class, () -> store.read("../outside"));
        assertThrows(StateStoreException.class, () -> store.write("demo/../../x", new byte[0], Precondition.none()));
    }

    @Test
    void aFileWhereTheStoreShouldBeIsReported() throws Exception {
        Files.writeString(dir.resolve("plain"), "x");
        StateStoreException e = assertThrows(StateStoreException.class,
                () -> new FileStateStore(dir.resolve("plain")).checkReachable());
        assertTrue(e.getMessage().endsWith("is a file, not a directory"), e.getMessage());
    }

    @Test
    void urlsPickTheBackend() {
        Environment env = new Environment(java.util.Map.of("HOME", "/home/op"));
        assertEquals("file:///home/op/.tug/state", StateStores.resolveUrl(null, env));
        assertEquals("s3://b/p", StateStores.resolveUrl(null,
                new Environment(java.util.Map.of("TUG_STATE_STORE", "s3://b/p"))));
        assertEquals("gs://flag", StateStores.resolveUrl("gs://flag", env));
        assertEquals("file://" + dir, StateStores.open("file://" + dir, env).url());
        assertEquals("file://" + dir, StateStores.open(dir.toString(), env).url());
        assertTrue(assertThrows(StateStoreException.class, () -> StateStores.open("ftp://x", env)).getMessage()
                .startsWith("unsupported state store ftp://x"));
        assertTrue(assertThrows(StateStoreException.class, () -> StateStores.open("s3://Bad_Bucket", env)).getMessage()
                .contains("is not a valid bucket name"));
    }
}
