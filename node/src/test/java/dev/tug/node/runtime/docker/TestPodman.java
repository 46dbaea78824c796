package dev.tug.node.runtime.docker;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Podman serving the Docker Engine API on a socket of its own, started as DESIGN.md says it runs
 * on these machines: in a private mount namespace without the cgroup v2 mount of the hybrid
 * layout ({@code /sys/fs/cgroup/unified}, which makes Podman take the host for cgroup v2 and
 * fail), with the cgroupfs manager (no systemd). A service already answering on the socket is
 * used; one started here stops when the tests end. The image is imported from a tar of Debian's
 * busybox-static binary with applet links; no registry is involved.
 */
final class TestPodman {

    static final String SOCKET = "/run/tug-test-podman.sock";
    static final String HOST = "unix://" + SOCKET;
    /** Bump the tag when the image's content changes: an existing image is reused. */
    static final String IMAGE = "localhost/tug-test/busybox:2";
    private static final Path SERVICE_LOG = Path.of("/tmp/tug-test-podman.log");
    private static final List<String> APPLETS = List.of("sh", "sleep", "echo", "cat", "nc", "httpd", "wget", "ls",
            "mkdir", "rm", "touch", "env", "true", "false", "test", "[", "kill");
    private static boolean ready;

    private TestPodman() {
    }

    static synchronized void ensure() throws IOException, InterruptedException {
        if (ready) {
            return;
        }
        if (!Files.isExecutable(Path.of("/usr/bin/podman")) || !Files.isExecutable(Path.of("/bin/busybox"))
                || run("dpkg-query", "-W", "busybox-static") != 0) {
            throw new IllegalStateException("podman or busybox-static is missing: the docker runtime is tested against"
                    + " Podman with an image made from Debian's static busybox; install them with:"
                    + " apt-get install -y podman busybox-static");
        }
        // test runs of several people share the service and the image: one of them sets them up
        try (FileChannel lockFile = FileChannel.open(Path.of("/run/tug-test-podman.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            startService();
            importImage();
        }
        ready = true;
    }

    private static void startService() throws IOException, InterruptedException {
        if (answers()) {
            return;
        }
        Files.deleteIfExists(Path.of(SOCKET)); // left by a service that died
        Process service = new ProcessBuilder("unshare", "-m", "sh", "-c", "umount /sys/fs/cgroup/unified 2>/dev/null;"
                + " exec podman --cgroup-manager=cgroupfs system service --time=0 " + HOST)
                .redirectErrorStream(true).redirectOutput(SERVICE_LOG.toFile()).start();
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
        while (!answers()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("podman did not answer on " + SOCKET + "; see " + SERVICE_LOG);
            }
            Thread.sleep(100);
        }
    }

    private static boolean answers() {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(SOCKET))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void importImage() throws IOException, InterruptedException {
        if (run("podman", "--url", HOST, "image", "exists", IMAGE) == 0) {
            return;
        }
        Path root = Files.createTempDirectory("tug-busybox");
        Path rootfs = root.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createDirectories(rootfs.resolve("tmp"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        for (String applet : APPLETS) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        check(run("tar", "-C", rootfs.toString(), "-cf", root.resolve("busybox.tar").toString(), "."), "tar");
        check(run("podman", "--url", HOST, "import", "--change", "CMD [\"/bin/sleep\",\"2147483647\"]",
                root.resolve("busybox.tar").toString(), IMAGE), "podman import");
    }

    private static void check(int code, String what) {
        if (code != 0) {
            throw new IllegalStateException(what + " failed with exit code " + code);
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return -1; // not installed
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
