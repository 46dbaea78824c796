package dev.tug.node.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.tug.node.runtime.ContainerFailure;
import dev.tug.node.runtime.ContainerLaunch;
import dev.tug.node.runtime.ContainerRuntime;
import dev.tug.node.runtime.Mount;
import dev.tug.node.runtime.PodIdentity;
import dev.tug.node.runtime.PortMapping;
import dev.tug.node.runtime.RunningContainer;
import dev.tug.node.runtime.Sandbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs pods through the Docker Engine API (Docker, or Podman's compatible socket). Like the
 * kubelet with dockershim, each pod has a sandbox container that owns its network namespace
 * and published host ports; the pod's containers join it, so they share one address and reach
 * each other on localhost. Containers are named and labelled by pod uid, container and attempt
 * ({@link ContainerNaming}), so a restarted agent finds them again and resumes copying their output.
 */
public final class DockerRuntime implements ContainerRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);
    /** Exec output kept for a probe; Kubernetes keeps about as much for an exec probe's message. */
    private static final int EXEC_OUTPUT_LIMIT = 10 * 1024;

    private final DockerClient docker;
    private final DockerClient streams;
    private final String sandboxImage;
    private final List<Ulimit> ulimits;
    private final ImagePuller images;
    /** Containers whose output this runtime copies or has copied, by engine id. */
    private final Map<String, LogCopier> logCopiers = new ConcurrentHashMap<>();

    /**
     * @param dockerHost e.g. {@code unix:///var/run/docker.sock} or Podman's {@code unix:///run/podman/podman.sock}
     * @param sandboxImage the image of the per-pod sandbox container; its default command must run
     *        until stopped (Kubernetes' pause image does)
     * @param fileAndProcessLimit nofile and nproc limit of every container, 0 for the engine's defaults
     *        (Podman inside a sandbox refuses to raise them, so it needs 1024)
     */
    public DockerRuntime(String dockerHost, String sandboxImage, long fileAndProcessLimit) {
        this(dockerHost, sandboxImage, fileAndProcessLimit, Duration.ofMinutes(5));
    }

    /** @param pullTimeout how long one image pull may take */
    public DockerRuntime(String dockerHost, String sandboxImage, long fileAndProcessLimit, Duration pullTimeout) {
        // short calls time out so a hung engine cannot hang the agent; follows, pulls, execs and
        // stops wait as long as the container or the caller's own deadline says
        this.docker = client(dockerHost, Duration.ofMinutes(2));
        this.streams = client(dockerHost, null);
        this.sandboxImage = sandboxImage;
        this.ulimits = fileAndProcessLimit <= 0 ? List.of()
                : List.of(new Ulimit("nofile", fileAndProcessLimit, fileAndProcessLimit),
                        new Ulimit("nproc", fileAndProcessLimit, fileAndProcessLimit));
        this.images = new ImagePuller(docker, streams, pullTimeout);
    }

    private static DockerClient client(String dockerHost, Duration responseTimeout) {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build();
        var http = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(dockerHost))
                .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(responseTimeout).build();
        return DockerClientImpl.getInstance(config, http);
    }

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public Sandbox startSandbox(PodIdentity pod, List<PortMapping> ports) throws ContainerFailure {
        try {
            Optional<Container> existing = findContainer(pod, ContainerNaming.SANDBOX, 0);
            String id;
            if (existing.isPresent()) {
                id = existing.get().getId();
            } else {
                images.ensure(sandboxImage, "IfNotPresent");
                id = createOrAdoptSandbox(pod, ports);
            }
            try {
                docker.startContainerCmd(id).exec();
            } catch (NotModifiedException e) {
                // running already: started by a previous agent or a concurrent call
            }
            return new Sandbox(id, podAddress(docker.inspectContainerCmd(id).exec()));
        } catch (DockerException | IllegalArgumentException e) {
            throw new ContainerFailure("CreatePodSandboxError", "cannot start the pod sandbox: " + e.getMessage(), e);
        }
    }

    /**
     * Creates the sandbox, or takes the one of this pod that already has its name: one created
     * meanwhile by a concurrent call, or by an agent that labelled it differently.
     */
    private String createOrAdoptSandbox(PodIdentity pod, List<PortMapping> ports) {
        try {
            return createSandbox(pod, ports);
        } catch (DockerException e) {
            // Docker answers a taken name with 409, Podman with 500: look the name up either way
            InspectContainerResponse named;
            try {
                named = docker.inspectContainerCmd(ContainerNaming.sandboxName(pod)).exec();
            } catch (NotFoundException notTaken) {
                throw e;
            }
            Map<String, String> labels = named.getConfig().getLabels();
            if (labels == null || !pod.uid().equals(labels.get(ContainerNaming.POD_UID))) {
                throw e;
            }
            return named.getId();
        }
    }

    private String createSandbox(PodIdentity pod, List<PortMapping> ports) {
        Ports bindings = new Ports();
        List<ExposedPort> exposed = new ArrayList<>();
        for (PortMapping port : ports) {
            if (port.hostPort() <= 0) {
                continue;
            }
            String protocol = port.protocol() == null ? "tcp" : port.protocol().toLowerCase(Locale.ROOT);
            ExposedPort containerPort = new ExposedPort(port.containerPort(), InternetProtocol.parse(protocol));
            exposed.add(containerPort);
            bindings.bind(containerPort, port.hostIp() == null || port.hostIp().isEmpty()
                    ? Ports.Binding.bindPort(port.hostPort())
                    : Ports.Binding.bindIpAndPort(port.hostIp(), port.hostPort()));
        }
        return docker.createContainerCmd(sandboxImage)
                .withName(ContainerNaming.sandboxName(pod))
                .withLabels(ContainerNaming.sandboxLabels(pod))
                .withHostName(pod.name())
                .withExposedPorts(exposed)
                .withHostConfig(HostConfig.newHostConfig().withPortBindings(bindings).withUlimits(ulimits))
                .exec().getId();
    }

    /** The sandbox's address on the engine's network (the default bridge): the pod's IP. */
    private static String podAddress(InspectContainerResponse sandbox) {
        var settings = sandbox.getNetworkSettings();
        if (settings.getIpAddress() != null && !settings.getIpAddress().isEmpty()) {
            return settings.getIpAddress();
        }
        return settings.getNetworks().values().stream().map(ContainerNetwork::getIpAddress)
                .filter(ip -> ip != null && !ip.isEmpty()).findFirst().orElse("");
    }

    @Override
    public RunningContainer start(PodIdentity pod, Sandbox sandbox, ContainerLaunch launch) throws ContainerFailure {
        images.ensure(launch.image(), launch.imagePullPolicy());
        String id;
        try {
            // a container left by an agent that died while starting this attempt is in the way of the name
            Optional<Container> stale = findContainer(pod, launch.name(), launch.attempt());
            if (stale.isPresent()) {
                forget(stale.get().getId());
                docker.removeContainerCmd(stale.get().getId()).withForce(true).exec();
            }
            id = create(pod, sandbox, launch).exec().getId();
        } catch (DockerException | IllegalArgumentException e) {
            throw new ContainerFailure("CreateContainerError", "cannot create " + launch.name() + ": " + e.getMessage(), e);
        }
        try {
            docker.startContainerCmd(id).exec();
            // the engine keeps the output and a follow replays it from the start, so nothing is missed
            logCopiers.put(id, LogCopier.copyFresh(streams, id, launch.logFile()));
            return new DockerContainer(docker, streams, id, docker.inspectContainerCmd(id).exec());
        } catch (DockerException | IOException | IllegalArgumentException e) {
            forget(id);
            try {
                docker.removeContainerCmd(id).withForce(true).exec();
            } catch (DockerException removal) {
                e.addSuppressed(removal);
            }
            throw new ContainerFailure("RunContainerError", "cannot start " + launch.name() + ": " + e.getMessage(), e);
        }
    }

    private CreateContainerCmd create(PodIdentity pod, Sandbox sandbox, ContainerLaunch launch) {
        List<Bind> binds = new ArrayList<>();
        for (Mount mount : launch.mounts()) {
            binds.add(Bind.parse(mount.source().toAbsolutePath() + ":" + mount.mountPath() + (mount.readOnly() ? ":ro" : "")));
        }
        List<String> env = new ArrayList<>();
        launch.env().forEach((name, value) -> env.add(name + "=" + value));
        CreateContainerCmd create = docker.createContainerCmd(launch.image())
                .withName(ContainerNaming.containerName(pod, launch.name(), launch.attempt()))
                .withLabels(ContainerNaming.containerLabels(pod, launch.name(), launch.attempt(), launch.logFile()))
                .withEnv(env)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("container:" + sandbox.id())
                        .withBinds(binds).withUlimits(ulimits));
        // Kubernetes: command replaces the image's ENTRYPOINT (and drops its CMD), args replace its CMD
        if (!launch.command().isEmpty()) {
            create.withEntrypoint(launch.command());
            create.withCmd(launch.args());
        } else if (!launch.args().isEmpty()) {
            create.withCmd(launch.args());
        }
        if (launch.workingDir() != null && !launch.workingDir().isEmpty()) {
            create.withWorkingDir(launch.workingDir());
        }
        return create;
    }

    private Optional<Container> findContainer(PodIdentity pod, String container, int attempt) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(ContainerNaming.filter(pod, container, attempt))
                .exec().stream().findFirst();
    }

    @Override
    public Optional<RunningContainer> find(PodIdentity pod, Sandbox sandbox, String containerName, int attempt) {
        try {
            Optional<Container> found = findContainer(pod, containerName, attempt)
                    .filter(c -> !"created".equals(c.getState())); // never started: nothing to adopt
            if (found.isEmpty()) {
                return Optional.empty();
            }
            String id = found.get().getId();
            InspectContainerResponse inspected = docker.inspectContainerCmd(id).exec();
            resumeLogCopy(id, found.get().getLabels().get(ContainerNaming.LOG_FILE),
                    Boolean.TRUE.equals(inspected.getState().getRunning()));
            return Optional.of(new DockerContainer(docker, streams, id, inspected));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (DockerException e) {
            LOG.warn("cannot look up container {} of pod {}/{}: {}", containerName, pod.namespace(), pod.name(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Copies the rest of a container's output when nobody here does: after an agent restart, or
     * when the engine broke the stream while the container still runs.
     */
    private void resumeLogCopy(String id, String logFile, boolean running) {
        if (logFile == null) {
            return;
        }
        logCopiers.compute(id, (key, copier) -> {
            if (copier != null && (!copier.done() || !running)) {
                return copier;
            }
            try {
                return LogCopier.resume(streams, id, Path.of(logFile));
            } catch (IOException e) {
                LOG.warn("cannot copy the output of container {} to {}: {}", id, logFile, e.toString());
                return copier;
            }
        });
    }

    @Override
    public ExecResult exec(PodIdentity pod, Sandbox sandbox, RunningContainer container, List<String> command,
            Duration timeout) throws ContainerFailure {
        String id = ((DockerContainer) container).dockerId();
        try {
            String exec = docker.execCreateCmd(id).withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
            ExecOutput output = new ExecOutput();
            // awaitCompletion closes the stream when the time is up; the command itself may run on
            // (the Engine API cannot kill an exec), as with the kubelet's exec probes on Docker
            boolean finished = streams.execStartCmd(exec).exec(output)
                    .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Long code = finished ? docker.inspectExecCmd(exec).exec().getExitCodeLong() : null;
            return new ExecResult(code == null ? -1 : code.intValue(), output.text(), !finished);
        } catch (DockerException e) {
            throw new ContainerFailure("RunContainerError", "exec " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerFailure("RunContainerError", "exec interrupted", e);
        }
    }

    /** An exec's stdout and stderr in order, the first {@link #EXEC_OUTPUT_LIMIT} bytes of it. */
    private static final class ExecOutput extends EngineStream<Frame> {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void onNext(Frame frame) {
            synchronized (bytes) {
                int room = EXEC_OUTPUT_LIMIT - bytes.size();
                bytes.write(frame.getPayload(), 0, Math.max(0, Math.min(room, frame.getPayload().length)));
            }
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }

    @Override
    public void removeSandbox(PodIdentity pod, Sandbox sandbox) {
        try {
            List<Container> containers = new ArrayList<>(docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(ContainerNaming.POD_UID, pod.uid())).exec());
            // the pod's containers first: they live in the sandbox's network namespace
            containers.sort(Comparator.comparing(c -> ContainerNaming.isSandbox(pod, c)));
            for (Container container : containers) {
                forget(container.getId());
                try {
                    docker.removeContainerCmd(container.getId()).withForce(true).exec();
                } catch (NotFoundException e) {
                    // removed meanwhile
                }
            }
        } catch (DockerException e) {
            // what is left is found by its label on the next removal
            LOG.warn("cannot remove the containers of pod {}/{}: {}", pod.namespace(), pod.name(), e.getMessage());
        }
    }

    private void forget(String id) {
        LogCopier copier = logCopiers.remove(id);
        if (copier != null) {
            closeQuietly(copier);
        }
    }

    /** Stops copying output (the next agent resumes it) and closes the connections; containers keep running. */
    @Override
    public void close() {
        logCopiers.values().forEach(DockerRuntime::closeQuietly);
        logCopiers.clear();
        closeQuietly(streams);
        closeQuietly(docker);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing {}", closeable, e);
        }
    }
}
