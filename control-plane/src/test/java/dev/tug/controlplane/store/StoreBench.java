package dev.tug.controlplane.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Creates per second and latency of {@link SqliteStore} with 1 and 16 concurrent writers.
 * Run: {@code java -cp <test classpath> dev.tug.controlplane.store.StoreBench [creates] [dataParent]}.
 */
public final class StoreBench {
    private static final byte[] VALUE = ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\","
            + "\"namespace\":\"default\"},\"data\":{\"k\":\"" + "v".repeat(400) + "\"}}").getBytes(StandardCharsets.UTF_8);

    private StoreBench() {
    }

    public static void main(String[] args) throws Exception {
        int creates = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path parent = args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir"));
        System.out.printf("%d creates of %d-byte values, synchronous=FULL, data under %s%n",
                creates, VALUE.length, parent);
        for (int writers : new int[] {1, 16}) {
            run(parent, creates, writers);
        }
    }

    private static void run(Path parent, int creates, int writers) throws Exception {
        Path dir = Files.createTempDirectory(parent, "store-bench");
        try (SqliteStore store = SqliteStore.open(dir)) {
            long[] latencies = new long[creates];
            CountDownLatch start = new CountDownLatch(1);
            Thread[] threads = new Thread[writers];
            for (int w = 0; w < writers; w++) {
                int first = w;
                threads[w] = new Thread(() -> {
                    awaitQuietly(start);
                    for (int i = first; i < creates; i += writers) {
                        long began = System.nanoTime();
                        store.create("/registry/configmaps/default/cm-" + i, VALUE);
                        latencies[i] = System.nanoTime() - began;
                    }
                });
                threads[w].start();
            }
            long began = System.nanoTime();
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            Arrays.sort(latencies);
            System.out.printf("%2d writer(s): %,8.0f creates/s  p50 %6.2f ms  p99 %6.2f ms  (%d transactions)%n",
                    writers, creates / seconds, millis(latencies, 0.50), millis(latencies, 0.99),
                    store.committedTransactions());
        } finally {
            deleteTree(dir);
        }
    }

    private static double millis(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
