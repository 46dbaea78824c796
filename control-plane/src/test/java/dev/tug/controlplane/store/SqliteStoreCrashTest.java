package dev.tug.controlplane.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tug.controlplane.store.Store.KeyValue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that returned must survive SIGKILL of the JVM that made it. */
class SqliteStoreCrashTest {
    private static final int ACKS_BEFORE_KILL = 500;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesKillMinus9() throws Exception {
        Path dataDir = dir.resolve("data");
        Path childErrors = dir.resolve("child.err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dataDir.toString(), "4")
                .redirectError(childErrors.toFile())
                .start();

        List<String> acked = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            List<String> keys = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    // a line cut short by the kill has no " ok", and is not an acknowledgement
                    if (line.startsWith("acked ") && line.endsWith(" ok")) {
                        keys.add(line.substring("acked ".length(), line.length() - " ok".length()));
                    }
                    if (keys.size() == ACKS_BEFORE_KILL) {
                        // SIGKILL, mid-stream: the child writes for ever. This also closes our end of the pipe.
                        child.destroyForcibly();
                        break;
                    }
                }
            }
            child.waitFor();
            return keys;
        });
        if (acked.size() < ACKS_BEFORE_KILL) {
            fail("the child stopped early: " + Files.readString(childErrors));
        }
        assertTrue(child.exitValue() != 0, "the child was killed, not finished");

        try (SqliteStore store = SqliteStore.open(dataDir)) {
            long newest = 0;
            for (String key : acked) {
                KeyValue kv = store.get(key).orElse(null);
                if (kv == null) {
                    fail("acknowledged key " + key + " was lost (" + acked.size() + " acknowledged)");
                }
                assertArrayEquals(CrashWriter.valueOf(key), kv.value(), key);
                newest = Math.max(newest, kv.modRevision());
            }
            assertTrue(store.currentRevision() >= acked.size());
            assertTrue(store.create("/after-crash", new byte[] {1}).modRevision() > newest,
                    "revisions continue past everything that survived");
        }
    }
}
