package dev.tug.cli;

import dev.tug.state.testing.ExternalProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A control plane and node agents started by hand from the packaged jar, as an operator would:
 * {@code tug server} plus one {@code tug agent} per node on its own loopback address, all
 * driven with the real kubectl.
 */
final class WorkloadCluster implements AutoCloseable {

    private final Path dir;
    private final Path kubectl = ExternalProcess.require("kubectl",
            "kubectl 1.32 must be on PATH (https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/)");
    private final Process server;
    private final Map<String, Process> agents = new LinkedHashMap<>();
    private final Map<String, Integer> agentPorts = new LinkedHashMap<>();
    final Path kubeconfig;

    WorkloadCluster(Path dir, String... serverFlags) {
        this.dir = dir;
        // the pods these tests run are python3 web servers started by the process runtime
        ExternalProcess.require("python3", "apt-get install -y python3");
        int port = ExternalProcess.freePort();
        List<String> command = new ArrayList<>(java("server", "--data-dir", dir.resolve("server").toString(),
                "--listen", "127.0.0.1:" + port));
        command.addAll(List.of(serverFlags));
        server = ExternalProcess.startAndAwaitPort(command, port, dir.resolve("server.log"), Duration.ofSeconds(60));
        kubeconfig = dir.resolve("server/admin.kubeconfig");
    }

    private static List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "tug.jar").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts (or restarts) the agent of node {@code name} on loopback address {@code address}. */
    void startAgent(String name, String address) {
        int port = agentPorts.computeIfAbsent(name, n -> ExternalProcess.freePort());
        try {
            Process agent = new ProcessBuilder(java("agent", "--kubeconfig", kubeconfig.toString(), "--node-name", name,
                    "--address", address, "--data-dir", dir.resolve(name).toString(), "--port", Integer.toString(port),
                    "--heartbeat", "1s", "--crash-loop-backoff", "1s"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
                    .start();
            agents.put(name, agent);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the agent of " + name, e);
        }
        await("node " + name + " Ready", Duration.ofSeconds(60), () -> kubectlOk("get", "node", name, "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").equals("True"));
    }

    /** kill -9 of the agent: its node stops heartbeating, its pods' processes keep running. */
    void killAgent(String name) throws InterruptedException {
        Process agent = agents.remove(name);
        agent.destroyForcibly();
        agent.waitFor(30, TimeUnit.SECONDS);
    }

    String kubectl(String... args) {
        List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        return ExternalProcess.run(command, Map.of("HOME", dir.toString()));
    }

    /** kubectl that may fail: its output either way, and "" on failure. */
    String kubectlOk(String... args) {
        try {
            return kubectl(args).trim();
        } catch (IllegalStateException e) {
            return "";
        }
    }

    String apply(String manifest) throws IOException {
        Path file = Files.createTempFile(dir, "manifest", ".yaml");
        Files.writeString(file, manifest);
        return kubectl("apply", "-f", file.toString());
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The processes' logs outlive the test's temporary directory, under target/it-logs, for CI to keep. */
    private void keepLogs() throws IOException {
        Path kept = Files.createDirectories(Path.of("target", "it-logs", dir.getFileName().toString()));
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (Process agent : agents.values()) {
            agent.destroy();
            agent.waitFor(30, TimeUnit.SECONDS);
        }
        server.destroy();
        server.waitFor(30, TimeUnit.SECONDS);
        keepLogs();
        // the agents leave pods running by design (the next agent adopts them): stop them here
        for (String node : agentPorts.keySet()) {
            Path pods = dir.resolve(node).resolve("pods");
            if (!Files.isDirectory(pods)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(pods)) {
                for (Path pid : files.filter(f -> f.getFileName().toString().equals("pid")).toList()) {
                    String group = Files.readString(pid).trim().split(" ")[0];
                    new ProcessBuilder("kill", "-KILL", "--", "-" + group).start().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }
}
