package dev.tug.node.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.node.runtime.ContainerExit;
import dev.tug.node.runtime.ContainerFailure;
import dev.tug.node.runtime.ContainerLaunch;
import dev.tug.node.runtime.Mount;
import dev.tug.node.runtime.PodIdentity;
import dev.tug.node.runtime.PortMapping;
import dev.tug.node.runtime.RunningContainer;
import dev.tug.node.runtime.Sandbox;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs one pod on this node, as the kubelet does: its sandbox and volumes, init containers one
 * after the other, then the containers with their restart policy and back-off, probes, and the
 * pod's status; on deletion it stops the containers within the grace period and removes the
 * pod for good. One thread per pod; the informer hands it each new version of the pod.
 */
final class PodWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TICK = Duration.ofMillis(200);
    /** A container that ran this long without crashing starts its back-off over. */
    private static final Duration BACKOFF_RESET = Duration.ofMinutes(10);

    private final AgentContext context;
    private final PodIdentity identity;
    private final Map<String, ContainerRecord> records = new LinkedHashMap<>();
    private final Object signal = new Object();
    private volatile Pod pod;
    private volatile boolean goneFromApi;
    private volatile boolean stopping;
    private Sandbox sandbox;
    private Map<String, Path> volumePaths;
    /** The pod's own resolv.conf, when it uses the cluster DNS; else null. */
    private Path resolvConf;
    private String phase = "Pending";
    private Instant startTime;
    private ObjectNode lastWritten;
    private boolean terminal;
    private String podFailure;
    /** When to try the sandbox or volumes again after they failed. */
    private Instant prepareNotBefore = Instant.EPOCH;

    PodWorker(AgentContext context, Pod pod) {
        this.context = context;
        this.pod = pod;
        this.identity = new PodIdentity(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                pod.getMetadata().getUid(), context.podsDirectory().resolve(pod.getMetadata().getUid()));
        pod.getSpec().getInitContainers().forEach(c -> records.put(c.getName(), new ContainerRecord(c, true)));
        pod.getSpec().getContainers().forEach(c -> records.put(c.getName(), new ContainerRecord(c, false)));
    }

    String uid() {
        return identity.uid();
    }

    PodIdentity identity() {
        return identity;
    }

    /** A newer version of the pod from the API. */
    void update(Pod newer) {
        pod = newer;
        wake();
    }

    /** The pod is no longer in the API (force-deleted): stop what runs, quickly. */
    void gone() {
        goneFromApi = true;
        wake();
    }

    /** The agent stops: leave the containers running for the next agent to adopt. */
    void detach() {
        stopping = true;
        wake();
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    @Override
    public void run() {
        try {
            Pod current = pod;
            terminal = isTerminal(current.getStatus() == null ? null : current.getStatus().getPhase());
            if (terminal) {
                phase = current.getStatus().getPhase();
            }
            startTime = current.getStatus() != null && current.getStatus().getStartTime() != null
                    ? Instant.parse(current.getStatus().getStartTime()) : Instant.now();
            while (!stopping) {
                current = pod;
                if (goneFromApi || current.getMetadata().getDeletionTimestamp() != null) {
                    terminate(current);
                    return;
                }
                if (!terminal) {
                    step(current);
                }
                publish(current);
                synchronized (signal) {
                    signal.wait(TICK.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("pod {}/{}: worker failed", identity.namespace(), identity.name(), e);
        }
    }

    // ---- running ----

    private void step(Pod current) {
        if (sandbox == null && !prepare(current)) {
            return;
        }
        Instant now = Instant.now();
        String policy = restartPolicy(current);
        for (ContainerRecord record : records.values()) {
            if (!record.init) {
                continue;
            }
            collectExit(record, current, now);
            if (record.succeeded()) {
                continue;
            }
            if (record.exit != null && policy.equals("Never")) {
                podFailure = "Init container " + record.spec.getName() + " failed";
                finish("Failed");
                return;
            }
            if (!record.runningNow()) {
                startWhenDue(record, current, now);
            }
            return;
        }
        for (ContainerRecord record : records.values()) {
            if (record.init) {
                continue;
            }
            collectExit(record, current, now);
            if (record.runningNow()) {
                probe(record, current, now);
            } else if (!record.started || shouldRestart(record, policy)) {
                startWhenDue(record, current, now);
            }
        }
        List<ContainerRecord> main = records.values().stream().filter(r -> !r.init).toList();
        boolean allDone = main.stream().allMatch(r -> r.exit != null && !shouldRestart(r, policy));
        if (allDone) {
            finish(main.stream().allMatch(ContainerRecord::succeeded) ? "Succeeded" : "Failed");
        } else {
            phase = main.stream().allMatch(r -> r.started) ? "Running" : "Pending";
        }
    }

    /** Sandbox, volumes and re-adoption of containers a previous agent started. */
    private boolean prepare(Pod current) {
        if (Instant.now().isBefore(prepareNotBefore)) {
            return false;
        }
        prepareNotBefore = Instant.now().plusSeconds(2);
        try {
            sandbox = context.runtime().startSandbox(identity, hostPorts(current));
        } catch (ContainerFailure e) {
            context.events().warning(current, "FailedCreatePodSandBox", "Failed to create pod sandbox: " + e.getMessage());
            waitAll("ContainerCreating", null);
            return false;
        }
        try {
            volumePaths = context.volumes().prepare(current, identity.directory(), sandbox.podIp());
            resolvConf = writeResolvConf(current);
        } catch (Environment.MissingReference e) {
            context.events().warning(current, "FailedMount", "MountVolume.SetUp failed: " + e.getMessage());
            waitAll("ContainerCreating", null);
            volumePaths = null;
            sandbox = null;
            return false;
        } catch (IOException e) {
            context.events().warning(current, "FailedMount", "MountVolume.SetUp failed: " + e.getMessage());
            sandbox = null;
            return false;
        }
        adopt(current);
        return true;
    }

    private void adopt(Pod current) {
        if (current.getStatus() == null) {
            return;
        }
        List<ContainerStatus> statuses = new ArrayList<>(current.getStatus().getInitContainerStatuses());
        statuses.addAll(current.getStatus().getContainerStatuses());
        for (ContainerStatus status : statuses) {
            ContainerRecord record = records.get(status.getName());
            if (record == null || status.getRestartCount() == null) {
                continue;
            }
            record.restarts = status.getRestartCount();
            context.runtime().find(identity, sandbox, status.getName(), record.restarts).ifPresent(found -> {
                record.running = found;
                record.started = true;
                LOG.info("pod {}/{}: adopted container {} ({})", identity.namespace(), identity.name(),
                        status.getName(), found.id());
            });
            if (record.running == null && status.getState() != null && status.getState().getTerminated() != null) {
                var terminated = status.getState().getTerminated();
                record.started = true;
                record.exit = new ContainerExit(terminated.getExitCode(), terminated.getReason(),
                        Instant.parse(terminated.getFinishedAt()));
                record.exitStartedAt = Instant.parse(terminated.getStartedAt());
                record.exitContainerId = terminated.getContainerID();
            }
        }
    }

    private void collectExit(ContainerRecord record, Pod current, Instant now) {
        if (record.running == null) {
            return;
        }
        Optional<ContainerExit> ended = record.running.exit();
        if (ended.isEmpty()) {
            return;
        }
        record.exit = ended.get();
        record.exitStartedAt = record.running.startedAt();
        record.exitContainerId = record.running.id();
        record.running = null;
        record.ready = false;
        record.startupPassed = false;
        record.readinessSuccesses = 0;
        record.readinessFailures = 0;
        record.livenessFailures = 0;
        record.startupFailures = 0;
        if (Duration.between(record.exitStartedAt, record.exit.finishedAt()).compareTo(BACKOFF_RESET) > 0) {
            record.crashes = 0;
        }
        if (shouldRestart(record, restartPolicy(current))) {
            Duration delay = backoff(++record.crashes);
            record.notBefore = now.plus(delay);
            if (!delay.isZero()) {
                record.waitingReason = "CrashLoopBackOff";
                record.waitingMessage = "back-off " + delay.toSeconds() + "s restarting failed container="
                        + record.spec.getName() + " pod=" + identity.name() + "_" + identity.namespace() + "(" + identity.uid() + ")";
                context.events().warning(current, "BackOff", "Back-off restarting failed container "
                        + record.spec.getName() + " in pod " + identity.name() + "_" + identity.namespace() + "(" + identity.uid() + ")");
            }
        }
    }

    /** The kubelet's back-off: the first restart at once, then 10 s doubling up to 5 minutes. */
    private Duration backoff(int crashes) {
        if (crashes <= 1) {
            return Duration.ZERO;
        }
        Duration delay = context.backoffBase().multipliedBy(1L << Math.min(crashes - 2, 20));
        return delay.compareTo(AgentContext.MAX_BACKOFF) > 0 ? AgentContext.MAX_BACKOFF : delay;
    }

    private static boolean shouldRestart(ContainerRecord record, String policy) {
        if (record.exit == null) {
            return false;
        }
        if (record.init) {
            return !policy.equals("Never") && record.exit.exitCode() != 0;
        }
        return switch (policy) {
            case "Never" -> false;
            case "OnFailure" -> record.exit.exitCode() != 0;
            default -> true;
        };
    }

    private Path writeResolvConf(Pod current) throws IOException {
        if (!context.runtime().usesClusterDns()) {
            return null;
        }
        Optional<String> text = context.dns().resolvConf(current);
        if (text.isEmpty()) {
            return null;
        }
        Path file = identity.directory().resolve("resolv.conf");
        Files.writeString(file, text.get());
        return file;
    }

    private void startWhenDue(ContainerRecord record, Pod current, Instant now) {
        if (now.isBefore(record.notBefore)) {
            return;
        }
        Container spec = record.spec;
        int attempt = record.started ? record.restarts + 1 : 0;
        Map<String, String> env;
        try {
            env = context.environment().resolve(current, spec, sandbox.podIp(), context.nodeIp());
        } catch (Environment.MissingReference e) {
            record.waitingReason = "CreateContainerConfigError";
            record.waitingMessage = e.getMessage();
            context.events().warning(current, "Failed", "Error: " + e.getMessage());
            record.notBefore = now.plusSeconds(2);
            return;
        }
        List<Mount> mounts = new ArrayList<>();
        for (VolumeMount mount : spec.getVolumeMounts()) {
            Path source = volumePaths.get(mount.getName());
            if (source == null) {
                continue;
            }
            if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
                source = source.resolve(mount.getSubPath());
            }
            mounts.add(new Mount(source, mount.getMountPath(), Boolean.TRUE.equals(mount.getReadOnly())));
        }
        if (resolvConf != null) {
            mounts.add(new Mount(resolvConf, "/etc/resolv.conf", true));
        }
        ContainerLaunch launch = new ContainerLaunch(spec.getName(), spec.getImage(), spec.getImagePullPolicy(),
                Environment.expandAll(spec.getCommand(), env), Environment.expandAll(spec.getArgs(), env), env,
                spec.getWorkingDir(), mounts, containerPorts(spec),
                identity.directory().resolve("logs").resolve(spec.getName()).resolve(attempt + ".log"), attempt);
        try {
            RunningContainer running = context.runtime().start(identity, sandbox, launch);
            if (record.started) {
                record.restarts = attempt;
                record.previousExit = record.exit;
                record.previousStartedAt = record.exitStartedAt;
                record.previousContainerId = record.exitContainerId;
            }
            record.running = running;
            record.started = true;
            record.exit = null;
            record.waitingReason = null;
            record.waitingMessage = null;
            record.killedBecause = null;
            context.events().normal(current, "Created", "Created container: " + spec.getName());
            context.events().normal(current, "Started", "Started container " + spec.getName());
        } catch (ContainerFailure e) {
            record.waitingReason = e.reason();
            record.waitingMessage = e.getMessage();
            record.notBefore = now.plus(backoff(++record.crashes).plusSeconds(1));
            context.events().warning(current, "Failed", "Error: " + e.getMessage());
        }
    }

    private void probe(ContainerRecord record, Pod current, Instant now) {
        Container spec = record.spec;
        Instant started = record.running.startedAt();
        if (!record.startupPassed) {
            Probe startup = spec.getStartupProbe();
            if (startup == null) {
                record.startupPassed = true;
            } else if (due(startup, started, record.nextStartup, now)) {
                record.nextStartup = now.plusSeconds(period(startup));
                Prober.Result result = run(startup, record);
                if (result.success()) {
                    record.startupPassed = true;
                } else if (++record.startupFailures >= threshold(startup.getFailureThreshold(), 3)) {
                    kill(record, current, "Startup probe failed: " + result.message(), "failed startup probe");
                    return;
                }
            }
        }
        if (!record.startupPassed) {
            return;
        }
        Probe liveness = spec.getLivenessProbe();
        if (liveness != null && due(liveness, started, record.nextLiveness, now)) {
            record.nextLiveness = now.plusSeconds(period(liveness));
            Prober.Result result = run(liveness, record);
            if (result.success()) {
                record.livenessFailures = 0;
            } else {
                context.events().warning(current, "Unhealthy", "Liveness probe failed: " + result.message());
                if (++record.livenessFailures >= threshold(liveness.getFailureThreshold(), 3)) {
                    kill(record, current, null, "failed liveness probe");
                    return;
                }
            }
        }
        Probe readiness = spec.getReadinessProbe();
        if (readiness == null) {
            record.ready = true;
        } else if (due(readiness, started, record.nextReadiness, now)) {
            record.nextReadiness = now.plusSeconds(period(readiness));
            Prober.Result result = run(readiness, record);
            if (result.success()) {
                record.readinessFailures = 0;
                if (++record.readinessSuccesses >= threshold(readiness.getSuccessThreshold(), 1)) {
                    record.ready = true;
                }
            } else {
                record.readinessSuccesses = 0;
                context.events().warning(current, "Unhealthy", "Readiness probe failed: " + result.message());
                if (++record.readinessFailures >= threshold(readiness.getFailureThreshold(), 3)) {
                    record.ready = false;
                }
            }
        }
    }

    private Prober.Result run(Probe probe, ContainerRecord record) {
        return context.prober().probe(probe, record.spec, identity, sandbox, record.running);
    }

    private static boolean due(Probe probe, Instant started, Instant next, Instant now) {
        int delay = probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds();
        return !now.isBefore(started.plusSeconds(delay)) && !now.isBefore(next);
    }

    private static long period(Probe probe) {
        return probe.getPeriodSeconds() == null || probe.getPeriodSeconds() <= 0 ? 10 : probe.getPeriodSeconds();
    }

    private static int threshold(Integer value, int fallback) {
        return value == null || value <= 0 ? fallback : value;
    }

    /** Stops a container that failed a probe; the restart policy then decides what comes next. */
    private void kill(ContainerRecord record, Pod current, String failure, String why) {
        if (failure != null) {
            context.events().warning(current, "Unhealthy", failure);
        }
        context.events().normal(current, "Killing", "Container " + record.spec.getName() + " " + why + ", will be restarted");
        record.killedBecause = why;
        try {
            record.running.stop(gracePeriod(current, null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        collectExit(record, current, Instant.now());
    }

    private void finish(String finalPhase) {
        phase = finalPhase;
        terminal = true;
        context.runtime().removeSandbox(identity, sandbox);
    }

    private void waitAll(String reason, String message) {
        for (ContainerRecord record : records.values()) {
            if (record.running == null && record.exit == null) {
                record.waitingReason = reason;
                record.waitingMessage = message;
            }
        }
    }

    // ---- stopping ----

    private void terminate(Pod current) {
        Duration grace = goneFromApi ? Duration.ofSeconds(2) : gracePeriod(current, current.getMetadata().getDeletionGracePeriodSeconds());
        Instant deadline = Instant.now().plus(grace);
        for (ContainerRecord record : records.values()) {
            if (record.runningNow()) {
                context.events().normal(current, "Killing", "Stopping container " + record.spec.getName());
                try {
                    Duration left = Duration.between(Instant.now(), deadline);
                    record.running.stop(left.isNegative() ? Duration.ZERO : left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        context.runtime().removeSandbox(identity, sandbox);
        if (!goneFromApi) {
            try {
                context.client().pods().inNamespace(identity.namespace()).withName(identity.name())
                        .withGracePeriod(0).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    LOG.warn("pod {}/{}: final delete failed: {}", identity.namespace(), identity.name(), e.getMessage());
                }
            }
        }
        deleteDirectory(identity.directory());
    }

    private static Duration gracePeriod(Pod current, Long requested) {
        long seconds = requested != null ? requested
                : current.getSpec().getTerminationGracePeriodSeconds() == null ? 30 : current.getSpec().getTerminationGracePeriodSeconds();
        return Duration.ofSeconds(Math.max(0, seconds));
    }

    static void deleteDirectory(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", directory, e.getMessage());
        }
    }

    // ---- status ----

    private void publish(Pod current) {
        ObjectNode status = status(current);
        if (status.equals(lastWritten)) {
            return;
        }
        ObjectNode patch = JSON.createObjectNode();
        patch.set("status", status);
        try {
            context.client().pods().inNamespace(identity.namespace()).withName(identity.name()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(patch));
            lastWritten = status;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                goneFromApi = true;
            } else {
                LOG.warn("pod {}/{}: status update failed: {}", identity.namespace(), identity.name(), e.getMessage());
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode status(Pod current) {
        ObjectNode status = JSON.createObjectNode();
        status.put("phase", phase);
        status.put("hostIP", context.nodeIp());
        status.putArray("hostIPs").addObject().put("ip", context.nodeIp());
        if (sandbox != null || lastWritten != null && lastWritten.has("podIP")) {
            String ip = sandbox != null ? sandbox.podIp() : lastWritten.get("podIP").asText();
            status.put("podIP", ip);
            status.putArray("podIPs").addObject().put("ip", ip);
        } else if (current.getStatus() != null && current.getStatus().getPodIP() != null) {
            status.put("podIP", current.getStatus().getPodIP());
            status.putArray("podIPs").addObject().put("ip", current.getStatus().getPodIP());
        }
        status.put("startTime", startTime.toString());
        if (podFailure != null) {
            status.put("message", podFailure);
        } else {
            status.putNull("message");
        }
        boolean initialized = records.values().stream().filter(r -> r.init).allMatch(ContainerRecord::succeeded);
        List<ContainerRecord> main = records.values().stream().filter(r -> !r.init).toList();
        boolean containersReady = !terminal && main.stream().allMatch(r -> r.runningNow() && r.ready);
        ArrayNode conditions = status.putArray("conditions");
        condition(conditions, current, "PodReadyToStartContainers", sandbox != null || terminal && lastWritten != null, null);
        condition(conditions, current, "Initialized", initialized, initialized ? null : "ContainersNotInitialized");
        condition(conditions, current, "Ready", containersReady, containersReady ? null : terminal ? "PodCompleted" : "ContainersNotReady");
        condition(conditions, current, "ContainersReady", containersReady, containersReady ? null : terminal ? "PodCompleted" : "ContainersNotReady");
        condition(conditions, current, "PodScheduled", true, null);
        ArrayNode initStatuses = JSON.createArrayNode();
        ArrayNode containerStatuses = JSON.createArrayNode();
        for (ContainerRecord record : records.values()) {
            (record.init ? initStatuses : containerStatuses).add(containerStatus(record));
        }
        if (!initStatuses.isEmpty()) {
            status.set("initContainerStatuses", initStatuses);
        }
        status.set("containerStatuses", containerStatuses);
        return status;
    }

    private void condition(ArrayNode conditions, Pod current, String type, boolean value, String reason) {
        String state = value ? "True" : "False";
        String transition = Instant.now().toString();
        if (current.getStatus() != null) {
            for (PodCondition existing : current.getStatus().getConditions()) {
                if (type.equals(existing.getType()) && state.equals(existing.getStatus()) && existing.getLastTransitionTime() != null) {
                    transition = existing.getLastTransitionTime();
                }
            }
        }
        if (lastWritten != null) {
            for (var existing : lastWritten.path("conditions")) {
                if (type.equals(existing.path("type").asText()) && state.equals(existing.path("status").asText())) {
                    transition = existing.path("lastTransitionTime").asText();
                }
            }
        }
        ObjectNode condition = conditions.addObject();
        condition.put("type", type);
        condition.put("status", state);
        condition.putNull("lastProbeTime");
        condition.put("lastTransitionTime", transition);
        if (reason != null) {
            condition.put("reason", reason);
        }
    }

    private ObjectNode containerStatus(ContainerRecord record) {
        ObjectNode status = JSON.createObjectNode();
        status.put("name", record.spec.getName());
        status.put("image", record.spec.getImage());
        status.put("imageID", "");
        status.put("restartCount", record.restarts);
        boolean running = record.runningNow();
        status.put("ready", running && record.ready);
        status.put("started", running && record.startupPassed);
        ObjectNode state = status.putObject("state");
        ObjectNode last = status.putObject("lastState");
        // a container waiting to be restarted shows its last run as lastState, as Kubernetes does
        boolean backingOff = !running && record.exit != null && record.waitingReason != null && !terminal;
        if (running) {
            status.put("containerID", record.running.id());
            state.putObject("running").put("startedAt", record.running.startedAt().toString());
        } else if (record.exit != null && !backingOff) {
            status.put("containerID", record.exitContainerId);
            terminated(state, record.exit, record.exitStartedAt, record.exitContainerId);
        } else {
            ObjectNode waiting = state.putObject("waiting");
            waiting.put("reason", record.waitingReason == null ? "ContainerCreating" : record.waitingReason);
            if (record.waitingMessage != null) {
                waiting.put("message", record.waitingMessage);
            }
        }
        if (backingOff) {
            terminated(last, record.exit, record.exitStartedAt, record.exitContainerId);
        } else if (record.previousExit != null) {
            terminated(last, record.previousExit, record.previousStartedAt, record.previousContainerId);
        }
        return status;
    }

    private static void terminated(ObjectNode state, ContainerExit exit, Instant startedAt, String containerId) {
        ObjectNode terminated = state.putObject("terminated");
        terminated.put("exitCode", exit.exitCode());
        terminated.put("reason", exit.reason());
        terminated.put("startedAt", startedAt == null ? exit.finishedAt().toString() : startedAt.toString());
        terminated.put("finishedAt", exit.finishedAt().toString());
        if (containerId != null) {
            terminated.put("containerID", containerId);
        }
    }

    // ---- helpers ----

    private static String restartPolicy(Pod current) {
        String policy = current.getSpec().getRestartPolicy();
        return policy == null ? "Always" : policy;
    }

    private static boolean isTerminal(String phase) {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static List<PortMapping> containerPorts(Container container) {
        List<PortMapping> ports = new ArrayList<>();
        container.getPorts().forEach(p -> ports.add(new PortMapping(p.getName(), p.getContainerPort(),
                p.getHostPort() == null ? 0 : p.getHostPort(), p.getHostIP(), p.getProtocol() == null ? "TCP" : p.getProtocol())));
        return ports;
    }

    private static List<PortMapping> hostPorts(Pod current) {
        List<PortMapping> ports = new ArrayList<>();
        current.getSpec().getContainers().forEach(c -> containerPorts(c).stream().filter(p -> p.hostPort() > 0).forEach(ports::add));
        return ports;
    }
}
