package dev.tug.node.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs a pod's containers on this node. The agent owns everything above it (what to run, when
 * to restart, probes, status); a runtime only starts, finds, stops and execs in containers.
 * Implementations: {@code process} (host processes) and {@code docker} (Docker Engine API).
 */
public interface ContainerRuntime extends AutoCloseable {

    /** The name operators pick it by ({@code --runtime}). */
    String name();

    /**
     * Creates what the pod's containers share (its address; for Docker its network and published
     * ports), or returns the one that already exists for this pod (after an agent restart).
     */
    Sandbox startSandbox(PodIdentity pod, List<PortMapping> ports) throws ContainerFailure;

    /**
     * Starts one container of the pod. Its output (stdout and stderr, in order) goes to
     * {@link ContainerLaunch#logFile()} until it exits.
     *
     * @throws ContainerFailure when it cannot start, with a Kubernetes waiting reason
     *         ({@code ErrImagePull}, {@code CreateContainerError}, ...) and a message
     */
    RunningContainer start(PodIdentity pod, Sandbox sandbox, ContainerLaunch launch) throws ContainerFailure;

    /** The container started for {@code attempt} (its restart count), when it is still known here. */
    Optional<RunningContainer> find(PodIdentity pod, Sandbox sandbox, String containerName, int attempt);

    /** Runs a command inside a running container (exec probes). */
    ExecResult exec(PodIdentity pod, Sandbox sandbox, RunningContainer container, List<String> command,
            Duration timeout) throws ContainerFailure;

    /**
     * Whether a file mounted at {@code /etc/resolv.conf} reaches the containers and they share
     * the host's loopback, where the cluster DNS listens: then pods get the cluster DNS.
     */
    default boolean usesClusterDns() {
        return false;
    }

    /** Stops whatever of the pod still runs (SIGKILL) and frees the sandbox. Idempotent. */
    void removeSandbox(PodIdentity pod, Sandbox sandbox);

    /** Output and exit code of an exec; {@code timedOut} when it was killed for running too long. */
    record ExecResult(int exitCode, String output, boolean timedOut) {
    }

    @Override
    default void close() {
    }
}
