package dev.tug.controlplane.server;

import dev.tug.state.testing.ExternalProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The real kubectl, run against a test server with its own kubeconfig and an isolated HOME (discovery cache). */
final class Kubectl {

    record Result(int exit, String out, String err) {
    }

    private final Path binary = ExternalProcess.require("kubectl",
            "kubectl 1.32 must be on PATH (https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/)");
    private final Path kubeconfig;
    private final Path home;

    Kubectl(Path kubeconfig, Path home) {
        this.kubeconfig = kubeconfig;
        this.home = home;
    }

    Result run(String... args) {
        return run(Map.of(), null, args);
    }

    Result run(Map<String, String> env, String stdin, String... args) {
        try {
            Process process = start(env, args);
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            var err = new java.util.concurrent.CompletableFuture<String>();
            Thread errReader = new Thread(() -> {
                try {
                    err.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    err.completeExceptionally(e);
                }
            });
            errReader.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), out, err.get(10, TimeUnit.SECONDS));
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs and requires success; returns stdout. */
    String ok(String... args) {
        Result result = run(args);
        assertEquals(0, result.exit(), () -> "kubectl " + String.join(" ", args) + " failed: " + result.err());
        return result.out();
    }

    String apply(String manifest) {
        Result result = run(Map.of(), manifest, "apply", "-f", "-");
        assertEquals(0, result.exit(), () -> "kubectl apply failed: " + result.err());
        return result.out();
    }

    /** A long-running kubectl (e.g. get -w); the caller reads and destroys it. */
    Process start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = new HashMap<>(env);
        environment.put("HOME", home.toString());
        environment.remove("KUBECONFIG");
        builder.environment().remove("KUBECONFIG");
        builder.environment().putAll(environment);
        return builder.start();
    }
}
