package dev.tug.node.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.tug.node.runtime.ContainerExit;
import dev.tug.node.runtime.RunningContainer;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** A container of the Docker runtime, read back from the engine for its state and exit. */
final class DockerContainer implements RunningContainer {

    private final DockerClient docker;
    private final DockerClient streams;
    private final String id;
    private final Instant startedAt;

    /**
     * @param docker client for short calls
     * @param streams client without a read timeout, for a stop that waits out a long grace period
     */
    DockerContainer(DockerClient docker, DockerClient streams, String id, InspectContainerResponse inspected) {
        this.docker = docker;
        this.streams = streams;
        this.id = id;
        this.startedAt = engineTime(inspected.getState().getStartedAt());
    }

    String dockerId() {
        return id;
    }

    @Override
    public String id() {
        return "docker://" + id;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public Optional<ContainerExit> exit() {
        try {
            var state = docker.inspectContainerCmd(id).exec().getState();
            if (Boolean.TRUE.equals(state.getRunning())) {
                return Optional.empty();
            }
            int code = state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue();
            Instant finished = engineTime(state.getFinishedAt());
            String reason = Boolean.TRUE.equals(state.getOOMKilled()) ? "OOMKilled" : code == 0 ? "Completed" : "Error";
            return Optional.of(new ContainerExit(code, reason, finished));
        } catch (NotFoundException e) {
            return Optional.of(ContainerExit.of(137, Instant.now()));
        } catch (RuntimeException e) {
            // the engine is unreachable for a moment: the container is taken as still running
            return Optional.empty();
        }
    }

    @Override
    public Optional<ContainerExit> awaitExit(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<ContainerExit> exit = exit();
        while (exit.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            exit = exit();
        }
        return exit;
    }

    @Override
    public ContainerExit stop(Duration grace) throws InterruptedException {
        try {
            // the engine sends the image's stop signal (SIGTERM), and SIGKILL once the grace period is over
            streams.stopContainerCmd(id).withTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(0, grace.toSeconds()))).exec();
        } catch (RuntimeException e) {
            // already stopped or gone: the exit below says how it ended
        }
        return awaitExit(Duration.ofSeconds(10)).orElse(ContainerExit.of(137, Instant.now()));
    }

    /** The engine's RFC 3339 time; "now" for the zero time ({@code 0001-01-01}) it reports for "not yet". */
    private static Instant engineTime(String time) {
        if (time == null || time.startsWith("0001")) {
            return Instant.now();
        }
        try {
            return OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }
}
