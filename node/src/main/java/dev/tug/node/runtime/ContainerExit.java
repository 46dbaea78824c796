package dev.tug.node.runtime;

import java.time.Instant;

/**
 * How a container ended: its exit code (128 + signal when a signal ended it, as Kubernetes
 * shows it) and Kubernetes' reason ({@code Completed} for 0, {@code Error} otherwise,
 * {@code OOMKilled} when the runtime knows).
 */
public record ContainerExit(int exitCode, String reason, Instant finishedAt) {

    public static ContainerExit of(int exitCode, Instant finishedAt) {
        return new ContainerExit(exitCode, exitCode == 0 ? "Completed" : "Error", finishedAt);
    }
}
