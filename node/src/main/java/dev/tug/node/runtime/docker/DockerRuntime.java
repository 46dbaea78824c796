package dev.tug.node.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs pods through the Docker Engine API (Docker, or Podman's compatible socket). Like the
 * kubelet with dockershim, each pod has a sandbox container that owns its network namespace
 * and published host ports; the pod's containers join it, so they share one address and reach
 * each other on localhost. Containers are named and labelled by pod uid, container and attempt,
 * so a restarted agent finds them again.
 */
public final class DockerRuntime implements ContainerRuntime {

    static final String POD_UID = "io.tug.pod.uid";
    static final String CONTAINER = "io.tug.container.name";
    static final String ATTEMPT = "io.tug.attempt";
    private static final String SANDBOX = "sandbox";

    private final DockerClient docker;
    private final String sandboxImage;
    private final List<Ulimit> ulimits;

    /**
     * @param dockerHost e.g. {@code unix:///var/run/docker.sock}
     * @param sandboxImage the image of the per-pod sandbox container; it must run until stopped by itself
     * @param fileAndProcessLimit nofile / nproc limits for every container, 0 for the engine's defaults
     */
    public DockerRuntime(String dockerHost, String sandboxImage, long fileAndProcessLimit) {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build();
        var http = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(dockerHost))
                .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofMinutes(5)).build();
        this.docker = DockerClientImpl.getInstance(config, http);
        this.sandboxImage = sandboxImage;
        this.ulimits = fileAndProcessLimit <= 0 ? List.of()
                : List.of(new Ulimit("nofile", fileAndProcessLimit, fileAndProcessLimit),
                        new Ulimit("nproc", fileAndProcessLimit, fileAndProcessLimit));
    }

    @Override
    public String name() {
        return "docker";
    }

    private static String containerName(PodIdentity pod, String container) {
        String uid = pod.uid().length() > 8 ? pod.uid().substring(0, 8) : pod.uid();
        return "tug_" + pod.namespace() + "_" + pod.name() + "_" + uid + "_" + container;
    }

    @Override
    public Sandbox startSandbox(PodIdentity pod, List<PortMapping> ports) throws ContainerFailure {
        try {
            Optional<Container> existing = find(pod, SANDBOX, 0, true);
            String id;
            if (existing.isPresent()) {
                id = existing.get().getId();
                if (!"running".equals(existing.get().getState())) {
                    docker.startContainerCmd(id).exec();
                }
            } else {
                ensureImage(sandboxImage, "IfNotPresent");
                Ports bindings = new Ports();
                List<ExposedPort> exposed = new ArrayList<>();
                for (PortMapping port : ports) {
                    ExposedPort containerPort = new ExposedPort(port.containerPort(), InternetProtocol.parse(port.protocol().toLowerCase()));
                    exposed.add(containerPort);
                    bindings.bind(containerPort, port.hostIp() == null || port.hostIp().isEmpty()
                            ? Ports.Binding.bindPort(port.hostPort()) : Ports.Binding.bindIpAndPort(port.hostIp(), port.hostPort()));
                }
                CreateContainerResponse created = docker.createContainerCmd(sandboxImage)
                        .withName(containerName(pod, SANDBOX))
                        .withLabels(labels(pod, SANDBOX, 0))
                        .withHostName(pod.name())
                        .withExposedPorts(exposed)
                        .withHostConfig(HostConfig.newHostConfig().withPortBindings(bindings).withUlimits(ulimits))
                        .exec();
                id = created.getId();
                docker.startContainerCmd(id).exec();
            }
            return new Sandbox(id, address(docker.inspectContainerCmd(id).exec()));
        } catch (DockerException | IllegalArgumentException e) {
            throw new ContainerFailure("CreatePodSandboxError", "cannot start the pod sandbox: " + e.getMessage(), e);
        }
    }

    private static String address(InspectContainerResponse sandbox) {
        var settings = sandbox.getNetworkSettings();
        if (settings.getIpAddress() != null && !settings.getIpAddress().isEmpty()) {
            return settings.getIpAddress();
        }
        return settings.getNetworks().values().stream().map(n -> n.getIpAddress())
                .filter(ip -> ip != null && !ip.isEmpty()).findFirst().orElse("");
    }

    @Override
    public RunningContainer start(PodIdentity pod, Sandbox sandbox, ContainerLaunch launch) throws ContainerFailure {
        ensureImage(launch.image(), launch.imagePullPolicy());
        String name = containerName(pod, launch.name()) + "_" + launch.attempt();
        try {
            find(pod, launch.name(), launch.attempt(), true).ifPresent(stale ->
                    docker.removeContainerCmd(stale.getId()).withForce(true).exec());
            List<Bind> binds = new ArrayList<>();
            for (Mount mount : launch.mounts()) {
                binds.add(Bind.parse(mount.source() + ":" + mount.mountPath() + (mount.readOnly() ? ":ro" : "")));
            }
            List<String> env = new ArrayList<>();
            launch.env().forEach((k, v) -> env.add(k + "=" + v));
            var create = docker.createContainerCmd(launch.image())
                    .withName(name)
                    .withLabels(labels(pod, launch.name(), launch.attempt()))
                    .withEnv(env)
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("container:" + sandbox.id())
                            .withBinds(binds).withUlimits(ulimits));
            if (!launch.command().isEmpty()) {
                create.withEntrypoint(launch.command());
                create.withCmd(launch.args());
            } else if (!launch.args().isEmpty()) {
                create.withCmd(launch.args());
            }
            if (launch.workingDir() != null && !launch.workingDir().isEmpty()) {
                create.withWorkingDir(launch.workingDir());
            }
            String id = create.exec().getId();
            docker.startContainerCmd(id).exec();
            InspectContainerResponse started = docker.inspectContainerCmd(id).exec();
            DockerContainer container = new DockerContainer(docker, id, started);
            followLogs(id, launch.logFile());
            return container;
        } catch (DockerException | IllegalArgumentException e) {
            throw new ContainerFailure("RunContainerError", "cannot run " + launch.name() + ": " + e.getMessage(), e);
        }
    }

    /** Pulls when the policy asks or the image is missing; a failed pull is Kubernetes' ErrImagePull. */
    private void ensureImage(String image, String policy) throws ContainerFailure {
        boolean present;
        try {
            docker.inspectImageCmd(image).exec();
            present = true;
        } catch (NotFoundException e) {
            present = false;
        }
        if (present && !"Always".equals(policy)) {
            return;
        }
        if ("Never".equals(policy)) {
            throw new ContainerFailure("ErrImageNeverPull", "Container image \"" + image
                    + "\" is not present with pull policy of Never");
        }
        try {
            if (!docker.pullImageCmd(image).start().awaitCompletion(5, TimeUnit.MINUTES)) {
                throw new ContainerFailure("ErrImagePull", "pulling " + image + " took longer than 5 minutes");
            }
        } catch (RuntimeException e) {
            // the engine's error (or a progress message the client cannot read) ends the pull
            if (!present) {
                throw new ContainerFailure("ErrImagePull", "failed to pull image \"" + image + "\": " + e.getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerFailure("ErrImagePull", "interrupted while pulling " + image, e);
        }
    }

    /** Copies the container's output (stdout and stderr, without Docker's stream framing) into the log file. */
    private void followLogs(String id, Path logFile) {
        try {
            Files.createDirectories(logFile.getParent());
            OutputStream out = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            try {
                                out.write(frame.getPayload());
                                out.flush();
                            } catch (IOException e) {
                                onError(e);
                            }
                        }

                        @Override
                        public void close() throws IOException {
                            super.close();
                            out.close();
                        }
                    });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> labels(PodIdentity pod, String container, int attempt) {
        Map<String, String> labels = new HashMap<>();
        labels.put(POD_UID, pod.uid());
        labels.put(CONTAINER, container);
        labels.put(ATTEMPT, Integer.toString(attempt));
        labels.put("io.kubernetes.pod.namespace", pod.namespace());
        labels.put("io.kubernetes.pod.name", pod.name());
        return labels;
    }

    private Optional<Container> find(PodIdentity pod, String container, int attempt, boolean all) {
        return docker.listContainersCmd().withShowAll(all)
                .withLabelFilter(Map.of(POD_UID, pod.uid(), CONTAINER, container, ATTEMPT, Integer.toString(attempt)))
                .exec().stream().findFirst();
    }

    @Override
    public Optional<RunningContainer> find(PodIdentity pod, Sandbox sandbox, String containerName, int attempt) {
        try {
            return find(pod, containerName, attempt, true).map(c ->
                    new DockerContainer(docker, c.getId(), docker.inspectContainerCmd(c.getId()).exec()));
        } catch (DockerException e) {
            return Optional.empty();
        }
    }

    @Override
    public ExecResult exec(PodIdentity pod, Sandbox sandbox, RunningContainer container, List<String> command,
            Duration timeout) throws ContainerFailure {
        String id = ((DockerContainer) container).dockerId();
        try {
            String exec = docker.execCreateCmd(id).withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            boolean finished = docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    output.writeBytes(frame.getPayload());
                }
            }).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Long code = docker.inspectExecCmd(exec).exec().getExitCodeLong();
            return new ExecResult(code == null ? -1 : code.intValue(), output.toString(StandardCharsets.UTF_8), !finished);
        } catch (DockerException e) {
            throw new ContainerFailure("RunContainerError", "exec " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerFailure("RunContainerError", "exec interrupted", e);
        }
    }

    @Override
    public void removeSandbox(PodIdentity pod, Sandbox sandbox) {
        try {
            List<Container> containers = docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(POD_UID, pod.uid())).exec();
            // the pod's containers first: they use the sandbox's network namespace
            containers.sort((a, b) -> Boolean.compare(SANDBOX.equals(a.getLabels().get(CONTAINER)),
                    SANDBOX.equals(b.getLabels().get(CONTAINER))));
            for (Container container : containers) {
                docker.removeContainerCmd(container.getId()).withForce(true).exec();
            }
        } catch (DockerException e) {
            // best effort: what is left is found by label on the next removal
        }
    }

    @Override
    public void close() {
        try {
            docker.close();
        } catch (IOException e) {
            // closing the connection pool only
        }
    }
}
