package dev.tug.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Several "machines" reachable over real OpenSSH on loopback, so that tests exercise the same SSH and SFTP paths as a
 * real provisioning run without VMs. Each machine is an {@code sshd} in its own private mount namespace in which
 * {@code /opt/tug}, {@code /etc/tug}, {@code /var/lib/tug} and {@code /var/log/tug} are bind mounts of the machine's
 * own folders, so whatever the product installs or starts there (daemons included) stays private to that machine.
 * Needs root, {@code /usr/sbin/sshd} and util-linux {@code unshare}.
 */
public final class SshMachines implements AutoCloseable {

    private static final String SSHD = "/usr/sbin/sshd";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Host mount points: they must exist for the bind mounts, and stay empty on the host. */
    private static final List<String> MOUNT_POINTS = List.of("/opt/tug", "/etc/tug", "/var/lib/tug", "/var/log/tug");
    /** The machine's folders, in the order of {@link #MOUNT_POINTS}. */
    private static final List<String> FOLDERS = List.of("opt", "etc", "lib", "log");

    private final Path workDir;
    private final List<String> addresses;
    private final int port;
    private final Path privateKey;
    private final Path publicKey;
    private final Process[] sshds;
    /** The {@code /proc/PID/ns/mnt} link of each machine's current namespace; kept after stop to find stragglers. */
    private final String[] namespaces;

    private SshMachines(Path workDir, List<String> addresses, int port, Path privateKey, Path publicKey) {
        this.workDir = workDir;
        this.addresses = List.copyOf(addresses);
        this.port = port;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.sshds = new Process[addresses.size()];
        this.namespaces = new String[addresses.size()];
    }

    /**
     * Starts one sshd per address; workDir gets a client key pair and one folder per machine. Fails with a message
     * saying how to install what is missing (openssh-server, util-linux unshare) or that root is needed.
     */
    public static SshMachines start(Path workDir, List<String> addresses) throws Exception {
        checkPrerequisites();
        for (String address : addresses) {
            // only loopback may be dialled; anything else would be a real network host
            if (!InetAddress.getByName(address).isLoopbackAddress()) {
                throw new IllegalArgumentException(address + " is not a loopback address");
            }
        }
        for (String mountPoint : MOUNT_POINTS) {
            Files.createDirectories(Path.of(mountPoint));
        }
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        workDir = workDir.toAbsolutePath();
        Files.createDirectories(workDir);
        Path privateKey = workDir.resolve("id_ed25519");
        Path publicKey = workDir.resolve("id_ed25519.pub");
        keygen(privateKey, "tug-tests");
        Files.copy(publicKey, workDir.resolve("authorized_keys"), StandardCopyOption.REPLACE_EXISTING);

        SshMachines machines = new SshMachines(workDir, addresses, freePort(addresses), privateKey, publicKey);
        try {
            for (int i = 0; i < addresses.size(); i++) {
                machines.prepare(i);
            }
            for (int i = 0; i < addresses.size(); i++) {
                machines.start(i);
            }
            return machines;
        } catch (Exception | Error e) {
            machines.close();
            throw e;
        }
    }

    private static void checkPrerequisites() throws IOException {
        String uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("Uid:")).findFirst().orElse("Uid: ?").split("\\s+")[1];
        if (!uid.equals("0")) {
            throw new IllegalStateException("SshMachines must run as root (uid 0, not " + uid + "): it bind-mounts"
                    + " /opt/tug and friends in private mount namespaces and runs sshd");
        }
        if (!Files.isExecutable(Path.of(SSHD))) {
            throw new IllegalStateException(SSHD + " is not installed, and these tests need it: apt-get install -y"
                    + " openssh-server");
        }
        require("unshare", "apt-get install -y util-linux");
        require("mount", "apt-get install -y mount");
        require("ssh-keygen", "apt-get install -y openssh-client");
    }

    private static void require(String program, String howToInstall) {
        if (which(program).isEmpty()) {
            throw new IllegalStateException(program + " is not installed, and these tests need it: " + howToInstall);
        }
    }

    private static Optional<Path> which(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"
                + ":/sbin:/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Optional.of(Path.of(dir, program));
            }
        }
        return Optional.empty();
    }

    /** A port free on every address at once, so one port number serves all machines (as 22 would on real ones). */
    private static int freePort(List<String> addresses) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(addresses.get(0)))) {
                candidate = socket.getLocalPort();
            }
            if (candidate != 22 && addresses.stream().allMatch(a -> bindable(a, candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no TCP port is free on all of " + addresses);
    }

    private static boolean bindable(String address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public Path privateKey() {
        return privateKey;
    }

    public Path publicKey() {
        return publicKey;
    }

    /** In the {@code user@host:port} form the product's machine lists use. */
    public String host(int i) {
        return "root@" + address(i) + ":" + port;
    }

    String address(int i) {
        return addresses.get(i);
    }

    Path root(int i) {
        return workDir.resolve("machine-" + i);
    }

    private Path sshdDir(int i) {
        return root(i).resolve("sshd");
    }

    private Path hostKey(int i) {
        return sshdDir(i).resolve("ssh_host_ed25519_key");
    }

    private Path originalHostKey(int i) {
        return sshdDir(i).resolve("ssh_host_ed25519_key.original");
    }

    /** Folders, a fresh host key and the sshd config of machine i. */
    private void prepare(int i) throws IOException {
        for (String folder : FOLDERS) {
            Files.createDirectories(root(i).resolve(folder));
        }
        Files.createDirectories(sshdDir(i));
        Files.deleteIfExists(originalHostKey(i));
        Files.deleteIfExists(Path.of(originalHostKey(i) + ".pub"));
        keygen(hostKey(i), "machine-" + i);
        Path config = sshdDir(i).resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "ListenAddress " + address(i),
                "Port " + port,
                "HostKey " + hostKey(i),
                "PidFile " + sshdDir(i).resolve("sshd.pid"),
                "AuthorizedKeysFile " + workDir.resolve("authorized_keys"),
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "Subsystem sftp internal-sftp",
                "MaxSessions 50",
                "MaxStartups 100",
                ""));
        // a bad config fails here with sshd's own words rather than as a port that never opens
        Result check = run(List.of(SSHD, "-t", "-f", config.toString()));
        if (check.exit != 0) {
            throw new IllegalStateException("sshd rejects " + config + ": " + check.output);
        }
    }

    /**
     * "Power on": a new mount namespace over the machine's folders and host key. The started process is sshd itself
     * (unshare and sh both exec), which {@link #processes} and {@link #stop} rely on.
     */
    synchronized void start(int i) {
        if (sshds[i] != null && sshds[i].isAlive()) {
            throw new IllegalStateException("machine " + i + " is already running");
        }
        // paths go in as positional parameters, so no quoting can go wrong: $1..$4 folders, $5 the sshd config
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind \"$1\" " + MOUNT_POINTS.get(0) + " && mount --bind \"$2\" " + MOUNT_POINTS.get(1)
                        + " && mount --bind \"$3\" " + MOUNT_POINTS.get(2) + " && mount --bind \"$4\" "
                        + MOUNT_POINTS.get(3) + " && exec " + SSHD + " -D -e -f \"$5\"", "machine-" + i));
        for (String folder : FOLDERS) {
            command.add(root(i).resolve(folder).toString());
        }
        command.add(sshdDir(i).resolve("sshd_config").toString());
        Path log = sshdDir(i).resolve("sshd.log");
        Process sshd;
        try {
            sshd = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the sshd of machine " + i, e);
        }
        sshds[i] = sshd;
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (true) {
            if (!sshd.isAlive()) {
                throw new IllegalStateException("the sshd of machine " + i + " (" + address(i) + ":" + port
                        + ") exited with " + sshd.exitValue() + ": " + tail(log));
            }
            if (accepts(address(i), port)) {
                break;
            }
            if (Instant.now().isAfter(deadline)) {
                sshd.destroyForcibly();
                throw new IllegalStateException("the sshd of machine " + i + " did not listen on " + address(i) + ":"
                        + port + " within " + READY_TIMEOUT + ": " + tail(log));
            }
            sleep(50);
        }
        String namespace = namespace(sshd.pid()).orElseThrow(() -> new IllegalStateException(
                "cannot read the mount namespace of the sshd of machine " + i));
        if (namespace.equals(namespace(ProcessHandle.current().pid()).orElse(null))) {
            sshd.destroyForcibly();
            throw new IllegalStateException("the sshd of machine " + i + " runs in the host's mount namespace");
        }
        namespaces[i] = namespace;
    }

    /**
     * "Power off": SIGKILL to everything in the machine's mount namespace, sshd included, so daemons started over
     * ssh (setsid, nohup) die too, as they would with the machine.
     */
    synchronized void stop(int i) {
        String namespace = namespaces[i];
        Process sshd = sshds[i];
        if (namespace == null) {
            if (sshd != null) { // never got as far as a namespace of its own
                sshd.destroyForcibly();
                sshds[i] = null;
            }
            return;
        }
        Instant deadline = Instant.now().plus(STOP_TIMEOUT);
        while (true) {
            List<ProcessHandle> left = inNamespace(namespace);
            if (sshd != null && sshd.isAlive()) {
                sshd.destroyForcibly();
            }
            if (left.isEmpty()) {
                break;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("machine " + i + " still has processes after SIGKILL: " + left);
            }
            left.forEach(ProcessHandle::destroyForcibly);
            sleep(20);
        }
        if (sshd != null) {
            try {
                sshd.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS); // our child: reap it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sshds[i] = null;
    }

    /**
     * Machine i with a different host key, as after a reinstall: host key checking must notice. Like a reboot, it
     * ends every process of the machine. The original key is kept aside for {@link #restoreHostKey}.
     */
    synchronized void replaceHostKey(int i) {
        stop(i);
        try {
            if (!Files.exists(originalHostKey(i))) {
                Files.move(hostKey(i), originalHostKey(i));
                Files.move(Path.of(hostKey(i) + ".pub"), Path.of(originalHostKey(i) + ".pub"));
            }
            Files.deleteIfExists(hostKey(i));
            Files.deleteIfExists(Path.of(hostKey(i) + ".pub"));
            keygen(hostKey(i), "machine-" + i + "-replaced");
        } catch (IOException e) {
            throw new IllegalStateException("cannot replace the host key of machine " + i, e);
        }
        start(i);
    }

    /** Back to the key the machine started with; like {@link #replaceHostKey}, it ends every process of it. */
    synchronized void restoreHostKey(int i) {
        if (!Files.exists(originalHostKey(i))) {
            return; // never replaced
        }
        stop(i);
        try {
            Files.move(originalHostKey(i), hostKey(i), StandardCopyOption.REPLACE_EXISTING);
            Files.move(Path.of(originalHostKey(i) + ".pub"), Path.of(hostKey(i) + ".pub"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("cannot restore the host key of machine " + i, e);
        }
        start(i);
    }

    /** What runs "on" machine i besides its sshd listener: ssh sessions, their children and daemons they left. */
    synchronized List<ProcessHandle> processes(int i) {
        if (namespaces[i] == null) {
            return List.of();
        }
        Process sshd = sshds[i];
        long sshdPid = sshd == null ? -1 : sshd.pid();
        return inNamespace(namespaces[i]).stream().filter(p -> p.pid() != sshdPid).toList();
    }

    /** Best effort: a failing test must still report its own failure, not this one. */
    @Override
    public synchronized void close() {
        for (int i = 0; i < addresses.size(); i++) {
            try {
                stop(i);
            } catch (RuntimeException e) {
                System.err.println("SshMachines: cannot stop machine " + i + ": " + e.getMessage());
            }
        }
    }

    private static List<ProcessHandle> inNamespace(String namespace) {
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            // zombies have no namespace link any more, so they drop out here, as they should
            if (namespace(p.pid()).filter(namespace::equals).isPresent() && p.isAlive()) {
                found.add(p);
            }
        });
        return found;
    }

    private static Optional<String> namespace(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "mnt")).toString());
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    private static boolean accepts(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(address), port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** ssh-keygen refuses to overwrite without asking, so old keys go first. */
    private static void keygen(Path key, String comment) throws IOException {
        Files.deleteIfExists(key);
        Files.deleteIfExists(Path.of(key + ".pub"));
        Result result = run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f",
                key.toString()));
        if (result.exit != 0) {
            throw new IllegalStateException("ssh-keygen failed for " + key + ": " + result.output);
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String output = new String(process.getInputStream().readAllBytes());
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
