package dev.tug.node.runtime.docker;

import dev.tug.node.runtime.ContainerExit;
import dev.tug.node.runtime.ContainerFailure;
import dev.tug.node.runtime.ContainerLaunch;
import dev.tug.node.runtime.ContainerRuntime;
import dev.tug.node.runtime.Mount;
import dev.tug.node.runtime.PodIdentity;
import dev.tug.node.runtime.RunningContainer;
import dev.tug.node.runtime.Sandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The docker runtime against a real Podman engine speaking the Docker API. */
class DockerRuntimeTest {

    @TempDir
    Path dir;
    private final DockerRuntime runtime = new DockerRuntime(TestPodman.HOST, TestPodman.IMAGE, 1024);
    private final PodIdentity pod = new PodIdentity("default", "web", UUID.randomUUID().toString(), null);
    private Sandbox sandbox;

    @BeforeAll
    static void podman() throws Exception {
        TestPodman.ensure();
    }

    @AfterEach
    void clean() {
        runtime.removeSandbox(pod, sandbox);
        runtime.close();
    }

    private ContainerLaunch launch(String name, List<String> command, Map<String, String> env, List<Mount> mounts, int attempt) {
        return new ContainerLaunch(name, TestPodman.IMAGE, "IfNotPresent", command, List.of(), env, null, mounts, List.of(),
                dir.resolve("logs").resolve(name).resolve(attempt + ".log"), attempt);
    }

    @Test
    void runsWithEnvironmentAndVolumeAndReportsTheExitCode() throws Exception {
        sandbox = runtime.startSandbox(pod, List.of());
        assertFalse(sandbox.podIp().isEmpty(), "the sandbox has the pod's address");
        Path volume = Files.createDirectories(dir.resolve("volume"));
        Files.writeString(volume.resolve("greeting"), "from a volume");
        RunningContainer container = runtime.start(pod, sandbox, launch("app",
                List.of("sh", "-c", "echo $WHO; cat /config/greeting; echo; exit 3"), Map.of("WHO", "tug"),
                List.of(new Mount(volume, "/config", true)), 0));
        ContainerExit exit = container.awaitExit(Duration.ofSeconds(30)).orElseThrow();
        assertEquals(3, exit.exitCode());
        assertEquals("Error", exit.reason());
        Path log = dir.resolve("logs/app/0.log");
        ContainerLaunchWait.until(() -> Files.exists(log) && Files.readString(log).equals("tug\nfrom a volume\n"));
        assertEquals("tug\nfrom a volume\n", Files.readString(log));
        assertTrue(container.id().startsWith("docker://"));
    }

    @Test
    void containersOfAPodShareItsNetworkAndExecAndStopWork() throws Exception {
        sandbox = runtime.startSandbox(pod, List.of());
        RunningContainer server = runtime.start(pod, sandbox, launch("server",
                List.of("sh", "-c", "busybox mkdir -p /www; echo hello-from-server > /www/index.html; exec busybox httpd -f -p 8080 -h /www"), Map.of(), List.of(), 0));
        RunningContainer client = runtime.start(pod, sandbox, launch("client", List.of("sleep", "600"), Map.of(), List.of(), 0));
        ContainerRuntime.ExecResult fetched = null;
        for (int i = 0; i < 50; i++) {
            fetched = runtime.exec(pod, sandbox, client, List.of("busybox", "wget", "-q", "-O", "-", "http://127.0.0.1:8080/index.html"),
                    Duration.ofSeconds(5));
            if (fetched.exitCode() == 0) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(0, fetched.exitCode(), fetched.output());
        assertEquals("hello-from-server", fetched.output().strip(), "localhost is shared within the pod");
        assertEquals(1, runtime.exec(pod, sandbox, client, List.of("busybox", "false"), Duration.ofSeconds(5)).exitCode());

        // a restarted agent finds the same container again
        DockerRuntime again = new DockerRuntime(TestPodman.HOST, TestPodman.IMAGE, 1024);
        RunningContainer found = again.find(pod, again.startSandbox(pod, List.of()), "server", 0).orElseThrow();
        assertEquals(server.id(), found.id());
        assertTrue(found.exit().isEmpty());
        again.close();

        ContainerExit stopped = client.stop(Duration.ofSeconds(1));
        assertTrue(stopped.exitCode() == 137 || stopped.exitCode() == 143, "stopped: " + stopped);
    }

    @Test
    void aMissingImageIsErrImagePull() {
        sandbox = null;
        ContainerFailure failure = assertThrows(ContainerFailure.class, () -> runtime.start(pod, new Sandbox("none", ""),
                new ContainerLaunch("app", "localhost/tug-test/does-not-exist:1", "IfNotPresent", List.of("true"), List.of(),
                        Map.of(), null, List.of(), List.of(), dir.resolve("x.log"), 0)));
        assertEquals("ErrImagePull", failure.reason());
    }
}
