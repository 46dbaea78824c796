package dev.tug.node.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.tug.node.runtime.ContainerExit;
import dev.tug.node.runtime.RunningContainer;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A container of the Docker runtime, read back from the engine for its state and exit. */
final class DockerContainer implements RunningContainer {

    private final DockerClient docker;
    private final String id;
    private final Instant startedAt;

    DockerContainer(DockerClient docker, String id, InspectContainerResponse inspected) {
        this.docker = docker;
        this.id = id;
        String started = inspected.getState().getStartedAt();
        this.startedAt = started == null || started.startsWith("0001") ? Instant.now() : Instant.parse(started);
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
            Instant finished = state.getFinishedAt() == null || state.getFinishedAt().startsWith("0001")
                    ? Instant.now() : Instant.parse(state.getFinishedAt());
            String reason = Boolean.TRUE.equals(state.getOOMKilled()) ? "OOMKilled" : code == 0 ? "Completed" : "Error";
            return Optional.of(new ContainerExit(code, reason, finished));
        } catch (NotFoundException e) {
            return Optional.of(ContainerExit.of(137, Instant.now()));
        } catch (DockerException e) {
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
            docker.stopContainerCmd(id).withTimeout((int) Math.max(0, grace.toSeconds())).exec();
        } catch (DockerException e) {
            // already stopped or gone: the exit below says how it ended
        }
        return awaitExit(Duration.ofSeconds(10)).orElse(ContainerExit.of(137, Instant.now()));
    }
}
