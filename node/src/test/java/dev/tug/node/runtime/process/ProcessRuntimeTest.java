package dev.tug.node.runtime.process;

import dev.tug.node.runtime.ContainerExit;
import dev.tug.node.runtime.ContainerFailure;
import dev.tug.node.runtime.ContainerLaunch;
import dev.tug.node.runtime.Mount;
import dev.tug.node.runtime.PodIdentity;
import dev.tug.node.runtime.RunningContainer;
import dev.tug.node.runtime.Sandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessRuntimeTest {

    @TempDir
    Path dir;

    private final ProcessRuntime runtime = new ProcessRuntime(() -> "127.128.9.0/24");

    private PodIdentity pod(String name) {
        return new PodIdentity("default", name, name + "-uid", dir.resolve("pods").resolve(name + "-uid"));
    }

    private ContainerLaunch launch(PodIdentity pod, List<String> command, Map<String, String> env, List<Mount> mounts) {
        return new ContainerLaunch("c", "busybox", "IfNotPresent", command, List.of(), env, null, mounts, List.of(),
                pod.directory().resolve("logs/c/0.log"), 0);
    }

    @Test
    void runsTheCommandWithItsEnvironmentAndVolumeAndKeepsTheExitCode() throws Exception {
        PodIdentity pod = pod("a");
        Sandbox sandbox = runtime.startSandbox(pod, List.of());
        assertTrue(sandbox.podIp().startsWith("127.128.9."), sandbox.podIp());
        Path volume = Files.createDirectories(dir.resolve("volume"));
        Files.writeString(volume.resolve("greeting"), "from a volume");
        String mountPath = runtime.privateMounts() ? "/etc/tug-test-" + ProcessHandle.current().pid() : volume.toString();
        RunningContainer container = runtime.start(pod, sandbox, launch(pod,
                List.of("sh", "-c", "echo $WHO; cat " + mountPath + "/greeting; echo; exit 3"),
                Map.of("WHO", "tug"), List.of(new Mount(volume, mountPath, true))));
        ContainerExit exit = container.awaitExit(Duration.ofSeconds(10)).orElseThrow();
        assertEquals(3, exit.exitCode());
        assertEquals("Error", exit.reason());
        assertEquals("tug\nfrom a volume\n", Files.readString(pod.directory().resolve("logs/c/0.log")));
        assertTrue(Files.notExists(Path.of(mountPath)) || !runtime.privateMounts(), "the host stays untouched");
    }

    @Test
    void stopsGracefullyThenForcefully() throws Exception {
        PodIdentity pod = pod("b");
        Sandbox sandbox = runtime.startSandbox(pod, List.of());
        RunningContainer polite = runtime.start(pod, sandbox, launch(pod,
                List.of("sh", "-c", "trap 'exit 0' TERM; echo ready; while true; do sleep 0.1; done"), Map.of(), List.of()));
        awaitLog(pod.directory().resolve("logs/c/0.log"));
        assertEquals(0, polite.stop(Duration.ofSeconds(5)).exitCode());

        RunningContainer stubborn = runtime.start(pod, sandbox, new ContainerLaunch("d", "busybox", null,
                List.of("sh", "-c", "trap '' TERM; echo ready; while true; do sleep 0.1; done"), List.of(), Map.of(), null,
                List.of(), List.of(), pod.directory().resolve("logs/d/0.log"), 0));
        awaitLog(pod.directory().resolve("logs/d/0.log"));
        long started = System.nanoTime();
        ContainerExit killed = stubborn.stop(Duration.ofMillis(500));
        assertEquals(137, killed.exitCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0);
    }

    /** Waits until the container says its signal handling is in place. */
    private static void awaitLog(Path log) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!Files.exists(log) || !Files.readString(log).contains("ready")) {
            assertTrue(System.currentTimeMillis() < deadline, "the container never started");
            Thread.sleep(20);
        }
    }

    @Test
    void anotherAgentFindsTheRunningContainerAndTheSameAddress() throws Exception {
        PodIdentity pod = pod("c");
        Sandbox sandbox = runtime.startSandbox(pod, List.of());
        RunningContainer container = runtime.start(pod, sandbox, launch(pod, List.of("sleep", "30"), Map.of(), List.of()));
        ProcessRuntime restarted = new ProcessRuntime(() -> "127.128.9.0/24");
        Sandbox again = restarted.startSandbox(pod, List.of());
        assertEquals(sandbox.podIp(), again.podIp());
        RunningContainer found = restarted.find(pod, again, "c", 0).orElseThrow();
        assertTrue(found.exit().isEmpty());
        assertEquals(container.id(), found.id());
        assertNotEquals(sandbox.podIp(), restarted.startSandbox(pod("other"), List.of()).podIp());
        restarted.removeSandbox(pod, again);
        assertTrue(container.awaitExit(Duration.ofSeconds(5)).isPresent());
    }

    @Test
    void refusesAContainerWithoutCommand() {
        PodIdentity pod = pod("d");
        ContainerFailure failure = assertThrows(ContainerFailure.class, () -> runtime.start(pod,
                runtime.startSandbox(pod, List.of()), launch(pod, List.of(), Map.of(), List.of())));
        assertEquals("CreateContainerError", failure.reason());
        assertTrue(failure.getMessage().contains("set \"command\""), failure.getMessage());
    }
}
