package dev.tug.node.runtime.process;

import dev.tug.node.runtime.ContainerExit;
import dev.tug.node.runtime.RunningContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A container run as a host process group. The launcher writes the command's exit code to
 * {@code exit} when it ends, so the code survives an agent restart; a group killed outright
 * has no such file and reads as SIGKILL (137), as Kubernetes reports it.
 */
final class ProcessContainer implements RunningContainer {

    private static final int SIGKILL_EXIT = 137;

    /** Null when the process was already gone when the container was found again. */
    private final ProcessHandle handle;
    private final Path directory;
    private final Instant startedAt;

    ProcessContainer(ProcessHandle handle, Path directory, Instant startedAt) {
        this.handle = handle;
        this.directory = directory;
        this.startedAt = startedAt;
    }

    long pid() {
        return handle == null ? -1 : handle.pid();
    }

    private boolean alive() {
        return handle != null && handle.isAlive();
    }

    @Override
    public String id() {
        return "process://" + directory.getParent().getFileName() + "-" + directory.getFileName() + "-" + pid();
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public Optional<ContainerExit> exit() {
        return alive() ? Optional.empty() : Optional.of(readExit());
    }

    private ContainerExit readExit() {
        Path exitFile = directory.resolve("exit");
        try {
            if (Files.exists(exitFile)) {
                return ContainerExit.of(Integer.parseInt(Files.readString(exitFile).trim()),
                        Files.getLastModifiedTime(exitFile).toInstant());
            }
        } catch (IOException | NumberFormatException e) {
            // an unreadable exit file is reported like a kill below
        }
        return ContainerExit.of(SIGKILL_EXIT, Instant.now());
    }

    @Override
    public Optional<ContainerExit> awaitExit(Duration timeout) throws InterruptedException {
        if (!alive()) {
            return exit();
        }
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            // onExit never fails; fall through to the exit check
        }
        return exit();
    }

    @Override
    public ContainerExit stop(Duration grace) throws InterruptedException {
        if (alive()) {
            signalGroup("TERM");
            if (awaitExit(grace).isEmpty()) {
                signalGroup("KILL");
                awaitExit(Duration.ofSeconds(10));
            }
        }
        // the launcher is gone; whatever it left of the group goes too
        signalGroup("KILL");
        return readExit();
    }

    /** Signals the whole process group: the launcher made itself its leader with setsid. */
    void signalGroup(String signal) {
        if (handle == null) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-" + signal, "--", "-" + handle.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            handle.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
