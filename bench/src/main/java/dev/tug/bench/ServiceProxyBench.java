package dev.tug.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the node agent's service proxy costs: the same echo pod reached directly at its pod IP
 * and through its Service's cluster IP, in one run, measuring round-trip latency on one
 * connection, request throughput over several connections, and new connections per second.
 */
public final class ServiceProxyBench {

    private static final int MESSAGE = 64;
    private static final int ROUND_TRIPS = 5000;
    private static final long LOAD_MILLIS = 4000;
    private static final byte[] PAYLOAD = new byte[MESSAGE];

    private ServiceProxyBench() {
    }

    public static void main(String[] args) throws Exception {
        try (BenchCluster cluster = BenchCluster.start("tug-proxy-bench")) {
            cluster.kubectl("apply", "-f", write(cluster, """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: echo, labels: {app: echo}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: echo
                        image: example/echo
                        command: ["python3", "-c", "import asyncio, os\\nasync def echo(r, w):\\n    while data := await r.read(65536):\\n        w.write(data)\\n        await w.drain()\\n    w.close()\\nasync def main():\\n    server = await asyncio.start_server(echo, os.environ['POD_IP'], 9000)\\n    await server.serve_forever()\\nasyncio.run(main())"]
                        env: [{name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}]
                        readinessProbe: {tcpSocket: {port: 9000}, periodSeconds: 1}
                    ---
                    apiVersion: v1
                    kind: Service
                    metadata: {name: echo}
                    spec:
                      selector: {app: echo}
                      ports: [{port: 9000}]
                    """));
            BenchCluster.waitFor(() -> !cluster.kubectl("get", "endpoints", "echo", "-o",
                    "jsonpath={.subsets[*].addresses[*].ip}").isBlank(), 90_000, "the echo pod's endpoint");
            String podIp = cluster.kubectl("get", "pod", "echo", "-o", "jsonpath={.status.podIP}").trim();
            String clusterIp = cluster.kubectl("get", "service", "echo", "-o", "jsonpath={.spec.clusterIP}").trim();
            InetSocketAddress direct = new InetSocketAddress(podIp, 9000);
            InetSocketAddress proxied = new InetSocketAddress(clusterIp, 9000);
            // warm both paths (JIT, connection set-up) before measuring
            latency(direct, 2000);
            latency(proxied, 2000);
            System.out.printf("Service proxy vs direct to the pod, %d-byte echo, python asyncio pod, %d cores%n",
                    MESSAGE, Runtime.getRuntime().availableProcessors());
            System.out.printf("  %-44s %12s %12s%n", "", "direct", "via proxy");
            double[] directLatency = latency(direct, ROUND_TRIPS);
            double[] proxiedLatency = latency(proxied, ROUND_TRIPS);
            System.out.printf("  %-44s %9.0f us %9.0f us%n", "round trip p50 (1 connection, " + ROUND_TRIPS + " trips)",
                    directLatency[0], proxiedLatency[0]);
            System.out.printf("  %-44s %9.0f us %9.0f us%n", "round trip p99", directLatency[1], proxiedLatency[1]);
            System.out.printf("  %-44s %9.0f /s %9.0f /s%n", "requests/s (8 connections)",
                    throughput(direct, 8), throughput(proxied, 8));
            System.out.printf("  %-44s %9.0f /s %9.0f /s%n", "new connections/s (4 clients)",
                    connections(direct, 4), connections(proxied, 4));
            System.out.printf("  added latency at p50: %.0f us%n", proxiedLatency[0] - directLatency[0]);
            propagation(cluster, proxied);
        }
    }

    /**
     * How soon the proxy follows an endpoint change: from the API server acknowledging a label
     * change that takes the pod out of the Service (and puts it back) until connections through
     * the cluster IP fail (and work again). That is the endpoints controller, the watch to the
     * agents and the proxy together.
     */
    private static void propagation(BenchCluster cluster, InetSocketAddress proxied) throws Exception {
        List<Long> out = new ArrayList<>();
        List<Long> in = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            cluster.kubectl("label", "pod", "echo", "app-");
            out.add(untilReachable(proxied, false));
            cluster.kubectl("label", "pod", "echo", "app=echo");
            in.add(untilReachable(proxied, true));
        }
        out.sort(null);
        in.sort(null);
        System.out.printf("  endpoint change -> proxy (median of 5): pod removed %d ms, pod added %d ms%n",
                out.get(2), in.get(2));
    }

    private static long untilReachable(InetSocketAddress target, boolean reachable) throws Exception {
        long start = System.nanoTime();
        while (reachable(target) != reachable) {
            if (System.nanoTime() - start > 30_000_000_000L) {
                throw new IllegalStateException("the proxy did not follow the endpoint change within 30 s");
            }
            Thread.sleep(2);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static boolean reachable(InetSocketAddress target) {
        try (Socket socket = connect(target)) {
            socket.setSoTimeout(500);
            roundTrip(socket);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String write(BenchCluster cluster, String manifest) throws IOException {
        Path file = cluster.dir.resolve("echo.yaml");
        Files.writeString(file, manifest);
        return file.toString();
    }

    /** p50 and p99 in microseconds of {@code trips} sequential round trips on one connection. */
    private static double[] latency(InetSocketAddress target, int trips) throws IOException {
        long[] micros = new long[trips];
        try (Socket socket = connect(target)) {
            for (int i = 0; i < trips; i++) {
                long start = System.nanoTime();
                roundTrip(socket);
                micros[i] = (System.nanoTime() - start) / 1000;
            }
        }
        Arrays.sort(micros);
        return new double[] {micros[trips / 2], micros[trips * 99 / 100]};
    }

    private static double throughput(InetSocketAddress target, int connections) throws Exception {
        return load(connections, () -> {
            long count = 0;
            long end = System.currentTimeMillis() + LOAD_MILLIS;
            try (Socket socket = connect(target)) {
                while (System.currentTimeMillis() < end) {
                    roundTrip(socket);
                    count++;
                }
            }
            return count;
        });
    }

    private static double connections(InetSocketAddress target, int clients) throws Exception {
        return load(clients, () -> {
            long count = 0;
            long end = System.currentTimeMillis() + LOAD_MILLIS;
            while (System.currentTimeMillis() < end) {
                try (Socket socket = connect(target)) {
                    roundTrip(socket);
                }
                count++;
            }
            return count;
        });
    }

    private static double load(int workers, Callable<Long> worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                results.add(pool.submit(worker));
            }
            long total = 0;
            for (Future<Long> result : results) {
                total += result.get();
            }
            return total * 1000.0 / LOAD_MILLIS;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Socket connect(InetSocketAddress target) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(target, 2000);
        socket.setSoTimeout(5000);
        return socket;
    }

    private static void roundTrip(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(PAYLOAD);
        out.flush();
        InputStream in = socket.getInputStream();
        int read = 0;
        byte[] buffer = new byte[MESSAGE];
        while (read < MESSAGE) {
            int n = in.read(buffer, read, MESSAGE - read);
            if (n < 0) {
                throw new IOException("connection closed after " + read + " bytes");
            }
            read += n;
        }
    }
}
