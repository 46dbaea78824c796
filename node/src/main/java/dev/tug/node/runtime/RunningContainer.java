package dev.tug.node.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A started container, as long as it runs and after it ended. */
public interface RunningContainer {

    /** The runtime's id, shown as {@code containerID} ({@code process://...}, {@code docker://...}). */
    String id();

    Instant startedAt();

    /** How it ended, or empty while it runs. */
    Optional<ContainerExit> exit();

    /** Waits up to {@code timeout} for it to end. */
    Optional<ContainerExit> awaitExit(Duration timeout) throws InterruptedException;

    /** SIGTERM, then SIGKILL when it has not ended after {@code grace}; returns once it ended. */
    ContainerExit stop(Duration grace) throws InterruptedException;
}
