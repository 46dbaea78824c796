package dev.tug.node.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies a container's output (stdout and stderr in the order the engine recorded them, without
 * Docker's stream framing) into the agent's log file until the container ends, on docker-java's
 * stream thread.
 *
 * <p>The engine replays a container's whole output on every follow, in the same order, and one
 * log file holds exactly one container's output. So a restarted agent resumes by following
 * again and skipping as many bytes as the file already holds: nothing is lost or doubled.
 */
final class LogCopier extends EngineStream<Frame> {

    private static final Logger LOG = LoggerFactory.getLogger(LogCopier.class);

    private final String containerId;
    private final OutputStream out;
    private long toSkip;

    private LogCopier(String containerId, OutputStream out, long toSkip) {
        this.containerId = containerId;
        this.out = out;
        this.toSkip = toSkip;
    }

    /** For a container just started: the file starts empty. */
    static LogCopier copyFresh(DockerClient streams, String containerId, Path logFile) throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        OutputStream out = Files.newOutputStream(logFile, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        return follow(streams, new LogCopier(containerId, out, 0));
    }

    /** For a container a previous agent started: appends what the file does not hold yet. */
    static LogCopier resume(DockerClient streams, String containerId, Path logFile) throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        OutputStream out = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        long held = Files.size(logFile);
        return follow(streams, new LogCopier(containerId, out, held));
    }

    private static LogCopier follow(DockerClient streams, LogCopier copier) {
        streams.logContainerCmd(copier.containerId).withStdOut(true).withStdErr(true).withFollowStream(true)
                .exec(copier);
        return copier;
    }

    @Override
    public void onNext(Frame frame) {
        byte[] payload = frame.getPayload();
        int from = 0;
        if (toSkip > 0) {
            from = (int) Math.min(toSkip, payload.length);
            toSkip -= from;
        }
        if (from == payload.length) {
            return;
        }
        try {
            out.write(payload, from, payload.length - from);
            out.flush();
        } catch (IOException e) {
            onError(e);
        }
    }

    @Override
    public void onError(Throwable error) {
        if (!isClosed()) {
            // the stream broke (engine restarted, agent closing): the next agent resumes from the file
            LOG.warn("stopped copying the output of container {}: {}", containerId, error.toString());
        }
        try {
            close();
        } catch (IOException e) {
            LOG.debug("closing the log of {}", containerId, e);
        }
    }

    @Override
    void closed() throws IOException {
        out.close();
    }

    /** Whether copying ended: the container exited and its output is all in the file, or the stream broke. */
    boolean done() {
        return isClosed();
    }
}
