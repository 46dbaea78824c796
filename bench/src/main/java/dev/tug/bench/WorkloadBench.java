package dev.tug.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Workload figures on this machine: how fast the scheduler binds the pods of a 100-replica
 * Deployment, and how long from {@code kubectl apply} until all of them are Ready, with
 * {@code tug server} and two {@code tug agent} processes (process runtime) from the packaged jar.
 */
public final class WorkloadBench {

    private WorkloadBench() {
    }

    public static void main(String[] args) throws Exception {
        int replicas = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        try (BenchCluster cluster = BenchCluster.start("tug-workload-bench")) {
            run(cluster, replicas);
        }
    }

    private static void run(BenchCluster cluster, int replicas) throws Exception {
        Path manifest = cluster.dir.resolve("deployment.yaml");
        Files.writeString(manifest, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: bench}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: bench}}
                  template:
                    metadata: {labels: {app: bench}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers: [{name: sleep, image: example/sleep, command: ["sleep", "3600"]}]
                """.formatted(replicas));
        // one kubectl watch streams every change as a line; polling with kubectl would load the
        // two cores this machine has and slow down what is measured
        Process watch = new ProcessBuilder("kubectl", "--kubeconfig", cluster.kubeconfig.toString(), "get", "pods", "-l", "app=bench",
                "-w", "-o", "jsonpath={.metadata.name} {.spec.nodeName} {.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}")
                .redirectErrorStream(true).start();
        cluster.track(watch);
        Map<String, Long> scheduledAt = new HashMap<>();
        Map<String, Long> readyAt = new HashMap<>();
        long start = System.nanoTime();
        cluster.kubectl("apply", "-f", manifest.toString());
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(watch.getInputStream()))) {
            String line;
            while (readyAt.size() < replicas && (line = lines.readLine()) != null) {
                long now = System.nanoTime();
                String[] fields = line.trim().split(" ");
                if (fields.length >= 2 && !fields[1].isEmpty() && !fields[1].equals("True")) {
                    scheduledAt.putIfAbsent(fields[0], now);
                }
                if (fields.length == 3 && fields[2].equals("True")) {
                    readyAt.putIfAbsent(fields[0], now);
                }
                if (now - start > TimeUnit.MINUTES.toNanos(10)) {
                    throw new IllegalStateException("not all " + replicas + " pods Ready after 10 minutes");
                }
            }
        }
        long allScheduled = scheduledAt.values().stream().max(Long::compare).orElseThrow();
        long allReady = readyAt.values().stream().max(Long::compare).orElseThrow();
        double scheduleSeconds = (allScheduled - start) / 1e9;
        double readySeconds = (allReady - start) / 1e9;
        System.out.printf("Deployment of %d replicas, 2 nodes, process runtime (%d cores)%n", replicas,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("  all pods bound to nodes after  %6.2f s  (%.0f pods/s, seen through a watch)%n",
                scheduleSeconds, replicas / scheduleSeconds);
        System.out.printf("  kubectl apply -> all Ready     %6.2f s%n", readySeconds);
        long start2 = System.nanoTime();
        cluster.kubectl("delete", "deployment", "bench", "--wait=false");
        BenchCluster.waitFor(() -> cluster.kubectl("get", "pods", "-l", "app=bench", "-o", "name").isBlank(), 600_000, "the pods to go");
        System.out.printf("  kubectl delete -> all pods gone %6.2f s%n", (System.nanoTime() - start2) / 1e9);
    }
}
