package dev.tug.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Workload figures on this machine: how fast the scheduler binds the pods of a 100-replica
 * Deployment, and how long from {@code kubectl apply} until all of them are Ready, with
 * {@code tug server} and two {@code tug agent} processes (process runtime) from the packaged jar.
 */
public final class WorkloadBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path jar;
    private final List<Process> processes = new ArrayList<>();
    private Path kubeconfig;

    private WorkloadBench(Path dir, Path jar) {
        this.dir = dir;
        this.jar = jar;
    }

    public static void main(String[] args) throws Exception {
        int replicas = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Path jar = Path.of("cli/target/tug.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -pl cli -am package -DskipTests");
        }
        Path dir = Files.createTempDirectory("tug-workload-bench");
        WorkloadBench bench = new WorkloadBench(dir, jar);
        try {
            bench.run(replicas);
        } finally {
            bench.stop();
        }
    }

    private void run(int replicas) throws Exception {
        int port = freePort();
        processes.add(java("server.log", "server", "--data-dir", dir.resolve("server").toString(), "--listen", "127.0.0.1:" + port));
        kubeconfig = dir.resolve("server/admin.kubeconfig");
        waitFor(() -> Files.exists(kubeconfig) && kubectlOk("get", "namespaces"), 60_000, "the API server");
        for (int n = 1; n <= 2; n++) {
            processes.add(java("node-" + n + ".log", "agent", "--kubeconfig", kubeconfig.toString(), "--node-name", "node-" + n,
                    "--address", "127.0.0." + (20 + n), "--data-dir", dir.resolve("node-" + n).toString(),
                    "--port", Integer.toString(freePort())));
        }
        waitFor(() -> kubectl("get", "nodes").split("\n").length == 3 && !kubectl("get", "nodes").contains("NotReady"),
                60_000, "2 Ready nodes");
        Path manifest = dir.resolve("deployment.yaml");
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
        Process watch = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "get", "pods", "-l", "app=bench",
                "-w", "-o", "jsonpath={.metadata.name} {.spec.nodeName} {.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}")
                .redirectErrorStream(true).start();
        processes.add(watch);
        Map<String, Long> scheduledAt = new HashMap<>();
        Map<String, Long> readyAt = new HashMap<>();
        long start = System.nanoTime();
        kubectl("apply", "-f", manifest.toString());
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
        kubectl("delete", "deployment", "bench", "--wait=false");
        waitFor(() -> kubectl("get", "pods", "-l", "app=bench", "-o", "name").isBlank(), 600_000, "the pods to go");
        System.out.printf("  kubectl delete -> all pods gone %6.2f s%n", (System.nanoTime() - start2) / 1e9);
    }

    private Process java(String log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    private String kubectl(String... args) {
        try {
            List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("HOME", dir.toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("kubectl " + String.join(" ", args) + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("kubectl must be on PATH", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean kubectlOk(String... args) {
        try {
            kubectl(args);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void waitFor(Check check, long millis, String what) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (!check.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void stop() throws Exception {
        for (Process process : processes) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        // pods outlive their agent by design; stop the ones the benchmark left
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path pid : files.filter(f -> f.getFileName().toString().equals("pid")).toList()) {
                new ProcessBuilder("kill", "-KILL", "--", "-" + Files.readString(pid).trim().split(" ")[0])
                        .start().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
