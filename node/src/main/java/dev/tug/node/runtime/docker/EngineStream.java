package dev.tug.node.runtime.docker;

import com.github.dockerjava.api.async.ResultCallback;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stream from the engine (logs, exec output) that may be closed before the engine answered:
 * Podman sends a follow's response only with the first output, so a quiet container's stream
 * can be closed while docker-java still waits, and the HTTP client then retries the request.
 * The answer that arrives later is closed at once instead of being read for the container's life.
 */
abstract class EngineStream<T> extends ResultCallback.Adapter<T> {

    private final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public void onStart(Closeable stream) {
        super.onStart(stream);
        if (closed.get()) {
            try {
                stream.close();
            } catch (IOException e) {
                // closing only
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            try {
                super.close();
            } finally {
                closed();
            }
        }
    }

    /** Whether {@link #close()} was called, or the stream ended. */
    final boolean isClosed() {
        return closed.get();
    }

    /** Frees what the subclass holds, once. */
    void closed() throws IOException {
    }
}
