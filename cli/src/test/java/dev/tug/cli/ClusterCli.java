package dev.tug.cli;

import dev.tug.state.testing.ExternalProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged tug jar and kubectl as an operator would, against a state store, kubeconfig and local machine
 * directory of the test's own, and keeps every command's output in the test's log.
 */
public final class ClusterCli {
    final Path work;
    final Path state;
    final Path kubeconfig;
    final Path machines;
    private final Path log;
    private final Path kubectl = ExternalProcess.require("kubectl",
            "kubectl 1.32 must be on PATH (https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/)");

    public record Result(int exit, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    public ClusterCli(Path work) throws IOException {
        this.work = work.toAbsolutePath();
        this.state = this.work.resolve("state");
        this.kubeconfig = this.work.resolve("kubeconfig");
        this.machines = this.work.resolve("machines");
        this.log = this.work.resolve("commands.log");
        Files.createDirectories(this.work);
    }

    public Result tug(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        command.addAll(List.of(args));
        return run(command, Map.of("TUG_STATE_STORE", state.toUri().toString(), "TUG_LOCAL_DIR", machines.toString(),
                "KUBECONFIG", kubeconfig.toString()), Duration.ofMinutes(5));
    }

    /** The packaged jar: from cli/ (the integration tests) or from the repository's root (the benchmarks). */
    private static Path jar() {
        Path jar = Path.of("target", "tug.jar");
        return (Files.exists(jar) ? jar : Path.of("cli", "target", "tug.jar")).toAbsolutePath();
    }

    String kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Result result = run(command, Map.of(), Duration.ofMinutes(2));
        if (result.exit() != 0) {
            throw new AssertionError("kubectl " + String.join(" ", args) + " failed: " + result.err());
        }
        return result.out();
    }

    private Result run(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout);
        }
        Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.writeString(log, "$ " + String.join(" ", command) + "\n" + result.out() + result.err()
                + "(exit " + result.exit() + ")\n\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    /** Body of an HTTP GET, or null when nothing answers (loopback addresses only). */
    static String httpGet(String url) {
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The body served at a loopback URL, waiting up to 30s for it to answer. */
    static String awaitBody(String url) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String body = ClusterCli.httpGet(url);
            if (body != null) {
                return body;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(url + " did not answer within 30s");
    }

    /** Removes a test's work folder from an earlier run. */
    public static void deleteRecursively(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Processes whose command line mentions the path: what a cluster left running there. */
    static List<String> processesMentioning(String path) {
        return ProcessHandle.allProcesses().filter(p -> p.pid() != ProcessHandle.current().pid())
                .map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains(path)).toList();
    }

    /** A Deployment of python http.server replicas answering with their pod name, behind a NodePort Service. */
    static String helloApp(int nodePort) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: hello}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: hello}}
                  template:
                    metadata: {labels: {app: hello}}
                    spec:
                      containers:
                      - name: web
                        image: python
                        command: ["sh", "-c", "echo hello from $(POD_NAME) > index.html; exec python3 -m http.server 8080 --bind $(POD_IP)"]
                        env:
                        - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
                        - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                        ports: [{containerPort: 8080}]
                        readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: hello}
                spec:
                  type: NodePort
                  selector: {app: hello}
                  ports: [{port: 80, targetPort: 8080, nodePort: %d}]
                """.formatted(nodePort);
    }
}
