package dev.tug.node.runtime.process;

import dev.tug.node.runtime.ContainerFailure;
import dev.tug.node.runtime.ContainerLaunch;
import dev.tug.node.runtime.ContainerRuntime;
import dev.tug.node.runtime.Mount;
import dev.tug.node.runtime.PodIdentity;
import dev.tug.node.runtime.PortMapping;
import dev.tug.node.runtime.RunningContainer;
import dev.tug.node.runtime.Sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs a container's command as a host process group in the pod's directory. Each pod gets
 * its own address from the node's pod range. When the agent runs as root, each container gets
 * a private mount namespace in which its volumes appear at their {@code mountPath} (a missing
 * directory is made on a private overlay of its parent, so the host is never changed).
 * Without root the volumes are only in the pod directory, under {@code volumes/}.
 *
 * <p>Layout: {@code <pod dir>/sandbox} holds the pod address; each container attempt has
 * {@code containers/<name>/<attempt>/} with {@code pid}, {@code exit} and its launcher.
 */
public final class ProcessRuntime implements ContainerRuntime {

    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final PodAddresses addresses;
    private final boolean privateMounts;
    private boolean claimedExisting;

    public ProcessRuntime(Supplier<String> podCidr) {
        this.addresses = new PodAddresses(podCidr);
        this.privateMounts = "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/unshare"));
    }

    @Override
    public String name() {
        return "process";
    }

    /** Pods run on the host's network; with private mounts their resolv.conf is their own. */
    @Override
    public boolean usesClusterDns() {
        return privateMounts;
    }

    /** Whether volumes appear at their mountPath (root, with unshare), not only in the pod directory. */
    public boolean privateMounts() {
        return privateMounts;
    }

    @Override
    public Sandbox startSandbox(PodIdentity pod, List<PortMapping> ports) throws ContainerFailure {
        Path file = pod.directory().resolve("sandbox");
        try {
            Files.createDirectories(pod.directory());
            if (Files.exists(file)) {
                String address = Files.readString(file).trim();
                addresses.claim(address);
                return new Sandbox(pod.directory().toString(), address);
            }
            claimExisting(pod.directory().getParent());
            String address = addresses.allocate();
            writeAtomically(file, address);
            return new Sandbox(pod.directory().toString(), address);
        } catch (IOException e) {
            throw new ContainerFailure("CreatePodSandboxError", "cannot prepare " + pod.directory() + ": " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new ContainerFailure("CreatePodSandboxError", e.getMessage(), e);
        }
    }

    /** After an agent restart, the addresses of pods still on this node are taken before any new one is handed out. */
    private synchronized void claimExisting(Path podsDirectory) throws IOException {
        if (claimedExisting) {
            return;
        }
        try (Stream<Path> pods = Files.list(podsDirectory)) {
            for (Path sandboxFile : pods.map(p -> p.resolve("sandbox")).filter(Files::exists).toList()) {
                addresses.claim(Files.readString(sandboxFile).trim());
            }
        }
        claimedExisting = true;
    }

    @Override
    public RunningContainer start(PodIdentity pod, Sandbox sandbox, ContainerLaunch launch) throws ContainerFailure {
        if (launch.command().isEmpty()) {
            throw new ContainerFailure("CreateContainerError", "the process runtime runs the container's command and cannot"
                    + " read image " + launch.image() + "; set \"command\" for container " + launch.name());
        }
        Path directory = attemptDirectory(pod, launch.name(), launch.attempt());
        try {
            Files.createDirectories(directory);
            Files.deleteIfExists(directory.resolve("exit"));
            Files.createDirectories(launch.logFile().getParent());
            Path launcher = directory.resolve("launch.sh");
            Files.writeString(launcher, launcherScript(launch, pod));
            List<String> argv = new ArrayList<>(List.of("setsid"));
            if (privateMounts) {
                argv.addAll(List.of("unshare", "--mount", "--propagation", "private"));
            }
            argv.addAll(List.of("/bin/sh", launcher.toString(), directory.resolve("exit").toString()));
            argv.addAll(launch.command());
            argv.addAll(launch.args());
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .directory(workingDirectory(pod, launch).toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Map<String, String> env = builder.environment();
            env.clear();
            env.put("PATH", DEFAULT_PATH);
            env.put("HOSTNAME", pod.name());
            env.put("HOME", "/root");
            env.putAll(launch.env());
            Process process = builder.start();
            Instant started = process.info().startInstant().orElse(Instant.now());
            writeAtomically(directory.resolve("pid"), process.pid() + " " + started);
            return new ProcessContainer(process.toHandle(), directory, started);
        } catch (IOException e) {
            throw new ContainerFailure("RunContainerError", "cannot start " + launch.command().get(0) + ": " + e.getMessage(), e);
        }
    }

    private Path workingDirectory(PodIdentity pod, ContainerLaunch launch) throws IOException {
        Path fallback = Files.createDirectories(pod.directory().resolve("containers").resolve(launch.name()).resolve("work"));
        if (launch.workingDir() == null || launch.workingDir().isBlank()) {
            return fallback;
        }
        // with private mounts the launcher changes into it once the volumes are in place
        return privateMounts || !Files.isDirectory(Path.of(launch.workingDir())) ? fallback : Path.of(launch.workingDir());
    }

    /**
     * The launcher mounts the volumes (in its private namespace), starts the command, forwards
     * SIGTERM/SIGINT to it and records its exit code. Command and arguments arrive as positional
     * parameters, so nothing of them is ever parsed by the shell.
     */
    private String launcherScript(ContainerLaunch launch, PodIdentity pod) {
        StringBuilder script = new StringBuilder("exit_file=\"$1\"; shift\n");
        if (privateMounts) {
            script.append("set -e\n");
            List<String> overlaid = new ArrayList<>();
            for (Mount mount : launch.mounts()) {
                script.append(mountCommands(mount, pod, overlaid));
            }
            if (launch.workingDir() != null && !launch.workingDir().isBlank()) {
                script.append("mkdir -p ").append(quote(launch.workingDir())).append(" 2>/dev/null || true\n");
                script.append("cd ").append(quote(launch.workingDir())).append("\n");
            }
            script.append("set +e\n");
        }
        script.append("""
                "$@" &
                child=$!
                # the launcher's own messages (a shell reports killed jobs) must not reach the container's log
                exec 2>/dev/null
                # a trapped signal ends wait early, before the child's own exit: wait again then
                # (dash answers a repeated wait with the same status, so this never spins)
                signalled=""
                trap 'signalled=1; kill -TERM $child 2>/dev/null' TERM
                trap 'signalled=1; kill -INT $child 2>/dev/null' INT
                wait $child
                code=$?
                while [ -n "$signalled" ]; do
                    signalled=""
                    wait $child
                    code=$?
                done
                echo $code > "$exit_file.tmp" && mv "$exit_file.tmp" "$exit_file"
                exit $code
                """);
        return script.toString();
    }

    /**
     * Bind-mounts a volume at its path. A path that does not exist is made on a private
     * overlay of its nearest existing parent, so the host's directory is left untouched.
     */
    private static String mountCommands(Mount mount, PodIdentity pod, List<String> overlaid) {
        StringBuilder commands = new StringBuilder();
        Path target = Path.of(mount.mountPath()).normalize();
        Path parent = target;
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent != null && !parent.equals(target) && !overlaid.contains(parent.toString()) && !parent.toString().equals("/")) {
            Path layer = pod.directory().resolve("overlays").resolve(Integer.toHexString(parent.toString().hashCode()));
            try {
                Files.createDirectories(layer.resolve("upper"));
                Files.createDirectories(layer.resolve("work"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            commands.append("mount -t overlay overlay -o ").append(quote("lowerdir=" + parent + ",upperdir="
                    + layer.resolve("upper") + ",workdir=" + layer.resolve("work"))).append(' ').append(quote(parent.toString())).append('\n');
            overlaid.add(parent.toString());
        }
        boolean file = Files.isRegularFile(mount.source());
        commands.append(file ? "mkdir -p " + quote(String.valueOf(target.getParent())) + " && touch " : "mkdir -p ")
                .append(quote(target.toString())).append('\n');
        commands.append("mount --bind ").append(quote(mount.source().toString())).append(' ').append(quote(target.toString())).append('\n');
        if (mount.readOnly()) {
            commands.append("mount -o remount,bind,ro ").append(quote(target.toString())).append('\n');
        }
        return commands.toString();
    }

    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    @Override
    public Optional<RunningContainer> find(PodIdentity pod, Sandbox sandbox, String containerName, int attempt) {
        Path directory = attemptDirectory(pod, containerName, attempt);
        Path pidFile = directory.resolve("pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            String[] recorded = Files.readString(pidFile).trim().split(" ");
            long pid = Long.parseLong(recorded[0]);
            Instant started = Instant.parse(recorded[1]);
            // a pid reused by another process must not be taken for the container
            ProcessHandle live = ProcessHandle.of(pid)
                    .filter(h -> h.info().startInstant().map(s -> s.equals(started)).orElse(false))
                    .orElse(null);
            return Optional.of(new ProcessContainer(live, directory, started));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public ExecResult exec(PodIdentity pod, Sandbox sandbox, RunningContainer container, List<String> command,
            Duration timeout) throws ContainerFailure {
        List<String> argv = new ArrayList<>();
        if (privateMounts && container instanceof ProcessContainer process && process.exit().isEmpty()) {
            argv.addAll(List.of("nsenter", "--mount", "--target", Long.toString(process.pid()), "--"));
        }
        argv.addAll(command);
        try {
            Path output = Files.createTempFile(pod.directory(), "exec", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .directory(pod.directory().toFile());
                builder.environment().put("PATH", DEFAULT_PATH);
                Process process = builder.start();
                boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!finished) {
                    process.destroyForcibly();
                }
                String text = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
                return new ExecResult(finished ? process.exitValue() : -1, text, !finished);
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new ContainerFailure("RunContainerError", "exec " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerFailure("RunContainerError", "exec interrupted", e);
        }
    }

    @Override
    public void removeSandbox(PodIdentity pod, Sandbox sandbox) {
        Path containers = pod.directory().resolve("containers");
        if (Files.isDirectory(containers)) {
            try (Stream<Path> pids = Files.walk(containers, 3)) {
                pids.filter(p -> p.getFileName().toString().equals("pid")).forEach(pid -> {
                    Path directory = pid.getParent();
                    find(pod, sandbox, directory.getParent().getFileName().toString(),
                            Integer.parseInt(directory.getFileName().toString()))
                            .ifPresent(c -> ((ProcessContainer) c).signalGroup("KILL"));
                });
            } catch (IOException | NumberFormatException e) {
                // best effort: a pod directory that cannot be read has nothing we started
            }
        }
        if (sandbox != null) {
            addresses.release(sandbox.podIp());
        }
    }

    private static Path attemptDirectory(PodIdentity pod, String container, int attempt) {
        return pod.directory().resolve("containers").resolve(container).resolve(Integer.toString(attempt));
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, content);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
