package dev.tug.controlplane.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Test helper run in a child JVM by {@link SqliteStoreCrashTest}: writes keys from several threads
 * for ever and prints {@code acked <key> ok} for each create that returned. The parent kills it.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dataDir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        SqliteStore store = SqliteStore.open(dataDir);
        Thread[] writers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers[t] = new Thread(() -> {
                for (int i = 0; ; i++) {
                    String key = "/crash/" + thread + "-" + i;
                    store.create(key, valueOf(key));
                    synchronized (System.out) {
                        System.out.println("acked " + key + " ok");
                        System.out.flush();
                    }
                }
            });
            writers[t].start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
    }

    static byte[] valueOf(String key) {
        return ("value of " + key).getBytes(StandardCharsets.UTF_8);
    }
}
