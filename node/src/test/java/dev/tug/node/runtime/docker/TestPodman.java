package dev.tug.node.runtime.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Podman serving the Docker Engine API on a socket of its own, started as DESIGN.md says it
 * runs on these machines (a private mount namespace without the cgroup v1 mount, cgroupfs),
 * with a busybox image imported from Debian's busybox-static. Shared by the tests of a run.
 */
final class TestPodman {

    static final String SOCKET = "/run/tug-test-podman.sock";
    static final String HOST = "unix://" + SOCKET;
    static final String IMAGE = "localhost/tug-test/busybox:1";
    private static boolean ready;

    private TestPodman() {
    }

    static synchronized void ensure() throws IOException, InterruptedException {
        if (ready) {
            return;
        }
        for (String tool : List.of("podman", "busybox")) {
            if (!Files.isExecutable(Path.of("/usr/bin", tool))) {
                throw new IllegalStateException(tool + " is missing: the docker runtime is tested against Podman with a"
                        + " busybox image; install them with: apt-get install -y podman busybox-static");
            }
        }
        if (!Files.exists(Path.of(SOCKET))) {
            Process service = new ProcessBuilder("unshare", "-m", "sh", "-c", "umount /sys/fs/cgroup/unified 2>/dev/null;"
                    + " exec podman --cgroup-manager=cgroupfs system service --time=0 " + HOST)
                    .redirectErrorStream(true).redirectOutput(Path.of("/tmp/tug-test-podman.log").toFile()).start();
            // the service started here ends with the tests, and leaves no socket behind
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.destroy();
                try {
                    service.waitFor(10, TimeUnit.SECONDS);
                    Files.deleteIfExists(Path.of(SOCKET));
                } catch (IOException | InterruptedException e) {
                    // exiting anyway
                }
            }));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!Files.exists(Path.of(SOCKET))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("podman did not open " + SOCKET + "; see /tmp/tug-test-podman.log");
                }
                Thread.sleep(100);
            }
        }
        if (run("podman", "--url", HOST, "image", "exists", IMAGE) != 0) {
            Path root = Files.createTempDirectory("tug-busybox");
            Files.createDirectories(root.resolve("rootfs/bin"));
            Files.copy(Path.of("/usr/bin/busybox"), root.resolve("rootfs/bin/busybox"));
            for (String applet : List.of("sh", "sleep", "echo", "cat", "nc", "httpd", "ls", "env", "true", "false", "wget", "test")) {
                Files.createSymbolicLink(root.resolve("rootfs/bin").resolve(applet), Path.of("busybox"));
            }
            check(run("tar", "-C", root.resolve("rootfs").toString(), "-cf", root.resolve("busybox.tar").toString(), "."), "tar");
            check(run("podman", "--url", HOST, "import", "--change", "CMD [\"/bin/sleep\",\"2147483647\"]",
                    root.resolve("busybox.tar").toString(), IMAGE), "podman import");
        }
        ready = true;
    }

    private static void check(int code, String what) {
        if (code != 0) {
            throw new IllegalStateException(what + " failed with exit code " + code);
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
