package dev.tug.node.runtime.docker;

import dev.tug.node.runtime.ContainerExit;
import dev.tug.node.runtime.ContainerFailure;
import dev.tug.node.runtime.ContainerLaunch;
import dev.tug.node.runtime.ContainerRuntime.ExecResult;
import dev.tug.node.runtime.Mount;
import dev.tug.node.runtime.PodIdentity;
import dev.tug.node.runtime.PortMapping;
import dev.tug.node.runtime.RunningContainer;
import dev.tug.node.runtime.Sandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The docker runtime against a real Podman engine speaking the Docker API ({@link TestPodman}). */
class DockerRuntimeTest {

    @TempDir
    Path dir;
    private final DockerRuntime runtime = new DockerRuntime(TestPodman.HOST, TestPodman.IMAGE, 1024);
    private final PodIdentity pod = new PodIdentity("default", "web", UUID.randomUUID().toString(), null);

    @BeforeAll
    static void podman() throws Exception {
        TestPodman.ensure();
    }

    @AfterEach
    void clean() {
        runtime.removeSandbox(pod, null);
        runtime.close();
    }

    private ContainerLaunch launch(String name, List<String> command, List<String> args, Map<String, String> env,
            List<Mount> mounts) {
        return new ContainerLaunch(name, TestPodman.IMAGE, "IfNotPresent", command, args, env, null, mounts, List.of(),
                log(name), 0);
    }

    private ContainerLaunch launch(String name, String script) {
        return launch(name, List.of("sh", "-c", script), List.of(), Map.of(), List.of());
    }

    private Path log(String container) {
        return dir.resolve("logs").resolve(container).resolve("0.log");
    }

    @Test
    void runsWithEnvironmentAndVolumeAndReportsTheExitCode() throws Exception {
        Sandbox sandbox = runtime.startSandbox(pod, List.of());
        assertTrue(sandbox.podIp().matches("\\d+\\.\\d+\\.\\d+\\.\\d+"), "the pod's address: " + sandbox.podIp());
        Path volume = Files.createDirectories(dir.resolve("volume"));
        Files.writeString(volume.resolve("greeting"), "from a volume");
        RunningContainer container = runtime.start(pod, sandbox, launch("app", List.of("sh", "-c"),
                List.of("echo $WHO; cat /config/greeting; echo; sleep 0.2; echo to-stderr >&2; exit 3"),
                Map.of("WHO", "tug"), List.of(new Mount(volume, "/config", true))));
        assertTrue(container.id().startsWith("docker://"), container.id());

        ContainerExit exit = container.awaitExit(Duration.ofSeconds(30)).orElseThrow();
        assertEquals(3, exit.exitCode());
        assertEquals("Error", exit.reason());
        String expected = "tug\nfrom a volume\nto-stderr\n";
        Waiting.until(() -> Files.readString(log("app")).equals(expected), () -> "log: " + shown(log("app")));
        assertEquals(expected, Files.readString(log("app")), "stdout and stderr in order, without stream framing");
    }

    @Test
    void aReadOnlyMountCannotBeWritten() throws Exception {
        Sandbox sandbox = runtime.startSandbox(pod, List.of());
        Path volume = Files.createDirectories(dir.resolve("volume"));
        RunningContainer container = runtime.start(pod, sandbox, launch("app", List.of("sh", "-c", "echo x > /config/new"),
                List.of(), Map.of(), List.of(new Mount(volume, "/config", true))));
        assertNotEquals(0, container.awaitExit(Duration.ofSeconds(30)).orElseThrow().exitCode());
        assertFalse(Files.exists(volume.resolve("new")));
    }

    @Test
    void anEmptyCommandRunsTheImagesOwn() throws Exception {
        Sandbox sandbox = runtime.startSandbox(pod, List.of());
        // args alone replace the image's CMD (the test image has no ENTRYPOINT)
        RunningContainer echo = runtime.start(pod, sandbox, launch("echo", List.of(), List.of("echo", "from-args"),
                Map.of(), List.of()));
        ContainerExit exit = echo.awaitExit(Duration.ofSeconds(30)).orElseThrow();
        assertEquals(new ContainerExit(0, "Completed", exit.finishedAt()), exit);
        Waiting.until(() -> read(log("echo")).equals("from-args\n"), () -> "log: " + shown(log("echo")));

        // neither: the image's CMD, a long sleep
        RunningContainer idle = runtime.start(pod, sandbox, launch("idle", List.of(), List.of(), Map.of(), List.of()));
        assertTrue(idle.awaitExit(Duration.ofSeconds(2)).isEmpty(), "the image's sleep keeps running");
    }

    @Test
    void containersOfAPodShareLocalhost() throws Exception {
        Sandbox sandbox = runtime.startSandbox(pod, List.of());
        runtime.start(pod, sandbox, launch("server",
                "mkdir -p /www; echo hello-from-server > /www/index.html; exec httpd -f -p 8080 -h /www"));
        RunningContainer client = runtime.start(pod, sandbox, launch("client",
                "until wget -q -O - http://127.0.0.1:8080/index.html; do sleep 0.2; done"));
        assertEquals(0, client.awaitExit(Duration.ofSeconds(30)).orElseThrow().exitCode());
        Waiting.until(() -> read(log("client")).equals("hello-from-server\n"),
                () -> "the client reached the server on 127.0.0.1, and logged " + shown(log("client")));
    }

    @Test
    void hostPortsArePublishedOnTheSandbox() throws Exception {
        int hostPort = freePort();
        Sandbox sandbox = runtime.startSandbox(pod, List.of(new PortMapping("http", 8080, hostPort, "127.0.0.1", "TCP")));
        runtime.start(pod, sandbox, launch("server",
                "mkdir -p /www; echo published > /www/index.html; exec httpd -f -p 8080 -h /www"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/index.html"))
                .timeout(Duration.ofSeconds(2)).build();
        String[] body = {""};
        Waiting.until(() -> {
            try {
                body[0] = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                return body[0].equals("published\n");
            } catch (IOException e) {
                return false;
            }
        }, () -> "127.0.0.1:" + hostPort + " answered \"" + body[0] + "\"");
    }

    @Test
    void startSandboxIsIdempotentAndRemoveSandboxRemovesThePod() throws Exception {
        // two at once (a pod worker and a restarted one, say): one creates, the other takes it
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Future<Sandbox>> both;
        try {
            Callable<Sandbox> start = () -> runtime.startSandbox(pod, List.of());
            both = threads.invokeAll(List.of(start, start));
        } finally {
            threads.shutdown();
        }
        Sandbox sandbox = both.get(0).get();
        assertEquals(sandbox, both.get(1).get(), "one sandbox for the pod");
        assertEquals(sandbox, runtime.startSandbox(pod, List.of()), "the same sandbox for the same pod");
        // a container may be called "sandbox" too without being taken for the pod's sandbox
        RunningContainer named = runtime.start(pod, sandbox, launch("sandbox", "exec sleep 600"));
        assertEquals(named.id(), runtime.find(pod, sandbox, "sandbox", 0).orElseThrow().id());
        assertNotEquals("docker://" + sandbox.id(), named.id());

        runtime.removeSandbox(pod, sandbox);
        assertTrue(runtime.find(pod, sandbox, "sandbox", 0).isEmpty(), "the container is gone");
        assertEquals(137, named.exit().orElseThrow().exitCode(), "a removed container counts as killed");
        runtime.removeSandbox(pod, sandbox); // idempotent
        assertNotEquals(sandbox.id(), runtime.startSandbox(pod, List.of()).id(), "a new sandbox after removal");
    }

    @Test
    void stopSendsTermAndKillsAfterTheGracePeriod() throws Exception {
        Sandbox sandbox = runtime.startSandbox(pod, List.of());
        RunningContainer graceful = runtime.start(pod, sandbox, launch("graceful",
                "trap 'echo got TERM; exit 0' TERM; echo ready; while true; do sleep 0.2; done"));
        // a process without a TERM handler that is PID 1 ignores SIGTERM: only SIGKILL ends it
        RunningContainer stubborn = runtime.start(pod, sandbox, launch("stubborn", "exec sleep 600"));
        Waiting.until(() -> read(log("graceful")).equals("ready\n"), () -> "log: " + shown(log("graceful")));

        long started = System.nanoTime();
        ContainerExit gracefulExit = graceful.stop(Duration.ofSeconds(20));
        assertEquals(0, gracefulExit.exitCode(), "its TERM handler ended it: " + gracefulExit);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 15, "it did not wait out the grace period");
        Waiting.until(() -> read(log("graceful")).equals("ready\ngot TERM\n"), () -> "log: " + shown(log("graceful")));

        started = System.nanoTime();
        ContainerExit killed = stubborn.stop(Duration.ofSeconds(1));
        assertEquals(137, killed.exitCode(), "SIGKILL: " + killed);
        assertEquals("Error", killed.reason());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 900, "it had its grace period");
        assertEquals(killed.exitCode(), stubborn.exit().orElseThrow().exitCode());
    }

    @Test
    void execRunsCommandsLikeProbes() throws Exception {
        Sandbox sandbox = runtime.startSandbox(pod, List.of());
        RunningContainer container = runtime.start(pod, sandbox, launch("app", "echo ok > /tmp/healthy; echo ready; exec sleep 600"));
        Waiting.until(() -> read(log("app")).equals("ready\n"), () -> "log: " + shown(log("app")));

        ExecResult healthy = runtime.exec(pod, sandbox, container, List.of("sh", "-c", "cat /tmp/healthy; echo err >&2"),
                Duration.ofSeconds(10));
        assertEquals(new ExecResult(0, "ok\nerr\n", false), healthy);
        assertEquals(1, runtime.exec(pod, sandbox, container, List.of("cat", "/tmp/missing"), Duration.ofSeconds(10)).exitCode());

        long started = System.nanoTime();
        ExecResult slow = runtime.exec(pod, sandbox, container, List.of("sleep", "30"), Duration.ofMillis(500));
        assertTrue(slow.timedOut(), "timed out: " + slow);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 10, "it returned at the timeout");
    }

    @Test
    void aRestartedAgentFindsTheContainerAndResumesItsLog() throws Exception {
        Path trigger = Files.createDirectories(dir.resolve("trigger"));
        DockerRuntime first = new DockerRuntime(TestPodman.HOST, TestPodman.IMAGE, 1024);
        Sandbox sandbox = first.startSandbox(pod, List.of());
        RunningContainer started = first.start(pod, sandbox, launch("app", List.of("sh", "-c",
                "echo before; until [ -e /trigger/go ]; do sleep 0.1; done; echo after; exec sleep 600"), List.of(),
                Map.of(), List.of(new Mount(trigger, "/trigger", true))));
        Waiting.until(() -> read(log("app")).equals("before\n"), () -> "log: " + shown(log("app")));
        first.close(); // the agent stops; its containers keep running

        Files.writeString(trigger.resolve("go"), "");
        Thread.sleep(1000);
        assertEquals("before\n", read(log("app")), "nobody copies output while no agent runs");

        DockerRuntime again = new DockerRuntime(TestPodman.HOST, TestPodman.IMAGE, 1024);
        try {
            assertEquals(sandbox, again.startSandbox(pod, List.of()), "the restarted agent adopts the sandbox");
            RunningContainer found = again.find(pod, sandbox, "app", 0).orElseThrow();
            assertEquals(started.id(), found.id());
            assertEquals(started.startedAt(), found.startedAt());
            assertTrue(found.exit().isEmpty(), "still running");
            assertTrue(again.find(pod, sandbox, "app", 1).isEmpty(), "no attempt 1 was started");
            assertTrue(again.find(pod, sandbox, "other", 0).isEmpty());

            Waiting.until(() -> read(log("app")).equals("before\nafter\n"), () -> "log: " + shown(log("app")));
            again.find(pod, sandbox, "app", 0).orElseThrow(); // looking again does not copy twice
            Thread.sleep(500);
            assertEquals("before\nafter\n", read(log("app")), "the output missed while down, once");
        } finally {
            again.close();
        }
    }

    @Test
    void aMissingImageFailsWithErrImagePullQuickly() {
        // a registry on localhost that does not exist: no traffic leaves the machine, and it fails at once
        String image = "localhost/tug-test/does-not-exist:1";
        ContainerFailure failure = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(ContainerFailure.class,
                () -> runtime.start(pod, new Sandbox("none", ""), new ContainerLaunch("app", image, "IfNotPresent",
                        List.of("true"), List.of(), Map.of(), null, List.of(), List.of(), log("app"), 0))));
        assertEquals("ErrImagePull", failure.reason());
        assertTrue(failure.getMessage().contains(image), failure.getMessage());

        ContainerFailure never = assertThrows(ContainerFailure.class, () -> runtime.start(pod, new Sandbox("none", ""),
                new ContainerLaunch("app", image, "Never", List.of("true"), List.of(), Map.of(), null, List.of(), List.of(),
                        log("app"), 0)));
        assertEquals("ErrImageNeverPull", never.reason());
    }

    private static String shown(Path file) {
        return "\"" + read(file).replace("\n", "\\n") + "\"";
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
