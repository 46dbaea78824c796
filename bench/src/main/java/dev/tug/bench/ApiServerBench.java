package dev.tug.bench;

import dev.tug.controlplane.kubeconfig.Kubeconfig;
import dev.tug.controlplane.server.ApiServer;
import dev.tug.controlplane.server.ServerConfig;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * API server figures on this machine: ConfigMap creates (throughput and latency), listing 10k
 * objects, and watch event delivery latency. The server runs in its own JVM, as in production,
 * on loopback over HTTPS with client-certificate authentication.
 */
public final class ApiServerBench {

    private static final int CREATES = Integer.getInteger("creates", 10_000);
    private static final int WARMUP = 3_000;
    private static final int WRITERS = 16;
    private static final int WATCHED_UPDATES = 500;

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("serve")) {
            serve(Path.of(args[1]), Integer.parseInt(args[2]));
            return;
        }
        Path dir = Files.createTempDirectory("tug-bench");
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // e.g. -Dtug.bench.serverJvmArgs=-XX:StartFlightRecording=filename=server.jfr to profile the server
        String serverJvmArgs = System.getProperty("tug.bench.serverJvmArgs", "");
        if (!serverJvmArgs.isBlank()) {
            command.addAll(List.of(serverJvmArgs.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ApiServerBench.class.getName(), "serve",
                dir.toString(), Integer.toString(port)));
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            awaitPort(port);
            Kubeconfig.Connection connection = Kubeconfig.connection(dir.resolve("admin.kubeconfig"));
            HttpClient client = HttpClient.newBuilder().sslContext(connection.tls()).version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newFixedThreadPool(WRITERS)).build();
            String base = connection.server() + "/api/v1/namespaces/default/configmaps";
            System.out.printf("tug API server benchmark (%d cores, server in its own JVM, HTTPS on loopback)%n",
                    Runtime.getRuntime().availableProcessors());
            // the server's JIT compiles its hot paths in the first seconds; figures are for a warm server
            creates(client, connection.server() + "/api/v1/namespaces/kube-public/configmaps", WARMUP, false);
            creates(client, base, CREATES, true);
            lists(client, base);
            watchLatency(client, base);
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void serve(Path dir, int port) throws Exception {
        ApiServer server = ApiServer.start(new ServerConfig("127.0.0.1", port, dir, null, null, null, null, "bench"));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        server.join();
    }

    private static void creates(HttpClient client, String base, int count, boolean print) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            futures.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"bench-" + i
                            + "\"},\"data\":{\"key\":\"value-" + i + "\"}}";
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = client.send(post(base, body), HttpResponse.BodyHandlers.ofString());
                    latencies[i] = System.nanoTime() - t0;
                    if (response.statusCode() != 201) {
                        throw new IllegalStateException("create failed: " + response.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        if (print) {
            System.out.printf("creates: %d ConfigMaps, %d concurrent clients: %.0f creates/s, p50 %.2f ms, p99 %.2f ms%n",
                    count, WRITERS, count / seconds, percentile(latencies, 50), percentile(latencies, 99));
        }
    }

    private static void lists(HttpClient client, String base) throws Exception {
        long[] times = new long[5];
        int bytes = 0;
        for (int i = 0; i < times.length; i++) {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(base)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            times[i] = System.nanoTime() - t0;
            bytes = response.body().length;
        }
        HttpResponse<byte[]> table = null;
        long[] tableTimes = new long[5];
        for (int i = 0; i < tableTimes.length; i++) {
            long t0 = System.nanoTime();
            table = client.send(HttpRequest.newBuilder(URI.create(base))
                    .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            tableTimes[i] = System.nanoTime() - t0;
        }
        System.out.printf("list: %d ConfigMaps (%.1f MB JSON): median %.0f ms; as a Table (kubectl get): median %.0f ms"
                        + " (%.1f MB)%n", CREATES, bytes / 1e6, percentile(times, 50), percentile(tableTimes, 50),
                table.body().length / 1e6);
    }

    private static void watchLatency(HttpClient client, String base) throws Exception {
        String version = resourceVersion(client.send(HttpRequest.newBuilder(URI.create(base + "/bench-0")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        HttpResponse<InputStream> watch = client.send(HttpRequest.newBuilder(URI.create(base
                + "?watch=true&fieldSelector=metadata.name%3Dbench-0&resourceVersion=" + version)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        LinkedBlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    arrivals.add(System.nanoTime());
                }
            } catch (Exception closed) {
                // the benchmark is over
            }
        });
        reader.setDaemon(true);
        reader.start();
        long[] latencies = new long[WATCHED_UPDATES];
        for (int i = 0; i < WATCHED_UPDATES; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> patched = client.send(HttpRequest.newBuilder(URI.create(base + "/bench-0"))
                    .header("Content-Type", "application/merge-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"data\":{\"key\":\"v" + i + "\"}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (patched.statusCode() != 200) {
                throw new IllegalStateException("patch failed: " + patched.body());
            }
            Long arrived = arrivals.poll(10, TimeUnit.SECONDS);
            if (arrived == null) {
                throw new IllegalStateException("the watch did not deliver update " + i);
            }
            latencies[i] = arrived - t0;
        }
        System.out.printf("watch: %d updates, write start to event received: p50 %.2f ms, p99 %.2f ms%n",
                WATCHED_UPDATES, percentile(latencies, 50), percentile(latencies, 99));
    }

    private static String resourceVersion(String json) {
        int at = json.indexOf("\"resourceVersion\":\"") + 19;
        return json.substring(at, json.indexOf('"', at));
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    private static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the server did not listen on " + port);
    }

    private ApiServerBench() {
    }
}
