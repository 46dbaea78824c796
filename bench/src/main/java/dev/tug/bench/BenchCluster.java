package dev.tug.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code tug server} and two {@code tug agent}s (process runtime, nodes on 127.0.0.21 and
 * 127.0.0.22) started from the packaged jar, and kubectl against them: the cluster the
 * workload and service benchmarks measure.
 */
final class BenchCluster implements AutoCloseable {

    static final String[] NODE_ADDRESSES = {"127.0.0.21", "127.0.0.22"};

    final Path dir;
    private final Path jar;
    private final List<Process> processes = new ArrayList<>();
    final Path kubeconfig;

    private BenchCluster(Path dir, Path jar) {
        this.dir = dir;
        this.jar = jar;
        this.kubeconfig = dir.resolve("server/admin.kubeconfig");
    }

    static BenchCluster start(String name, String... serverFlags) throws Exception {
        Path jar = Path.of("cli/target/tug.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -pl cli -am package -DskipTests");
        }
        BenchCluster cluster = new BenchCluster(Files.createTempDirectory(name), jar);
        try {
            cluster.startProcesses(serverFlags);
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void startProcesses(String... serverFlags) throws Exception {
        int port = freePort();
        List<String> server = new ArrayList<>(List.of("server", "--data-dir", dir.resolve("server").toString(),
                "--listen", "127.0.0.1:" + port));
        server.addAll(List.of(serverFlags));
        processes.add(java("server.log", server.toArray(String[]::new)));
        waitFor(() -> Files.exists(kubeconfig) && kubectlOk("get", "namespaces"), 60_000, "the API server");
        for (int n = 1; n <= NODE_ADDRESSES.length; n++) {
            processes.add(java("node-" + n + ".log", "agent", "--kubeconfig", kubeconfig.toString(), "--node-name", "node-" + n,
                    "--address", NODE_ADDRESSES[n - 1], "--data-dir", dir.resolve("node-" + n).toString(),
                    "--port", Integer.toString(freePort())));
        }
        waitFor(() -> kubectl("get", "nodes").split("\n").length == NODE_ADDRESSES.length + 1
                && !kubectl("get", "nodes").contains("NotReady"), 60_000, NODE_ADDRESSES.length + " Ready nodes");
    }

    /** A process that is stopped with the cluster (e.g. a kubectl watch). */
    Process track(Process process) {
        processes.add(process);
        return process;
    }

    private Process java(String log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    String kubectl(String... args) {
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

    boolean kubectlOk(String... args) {
        try {
            kubectl(args);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void waitFor(Check check, long millis, String what) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (!check.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
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
