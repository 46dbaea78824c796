package dev.tug.controlplane.server;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.BufferUtil;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Copies a streamed answer on as it arrives: followed logs must not wait for a full buffer. */
public final class Relay {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "relay-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private Relay() {
    }

    /**
     * Sends a streamed answer whose status and headers are set: the headers at once (a quiet stream must still
     * show it is open), then the body as it arrives, until it ends or the client goes. A client that went away
     * is not an error to report; the source is closed either way.
     */
    public static void respond(InputStream in, Response response, Callback callback, EndPoint client) {
        try (in; OutputStream out = Content.Sink.asOutputStream(response)) {
            out.flush();
            chunks(in, out, client);
        } catch (IOException e) {
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    private static void chunks(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            out.write(buffer, 0, read);
            out.flush();
        }
    }

    /**
     * Whether the client of a request whose own body has been read is still connected. Nothing reads its
     * connection while the answer streams, so a closed one shows only when read: end of stream (or an error) means
     * gone. A byte read would be a pipelined request, which HTTP clients do not send while an answer streams.
     */
    public static boolean connected(EndPoint endPoint) {
        if (!endPoint.isOpen()) {
            return false;
        }
        try {
            return endPoint.fill(BufferUtil.allocate(64)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The same, ending when the client has gone. A quiet source (a container that prints nothing) would otherwise
     * hold this thread and the upstream connection until it next writes, which may be never: every two seconds the
     * client's connection is checked, and when it is closed the copy is woken and the source closed.
     */
    private static void chunks(InputStream in, OutputStream out, EndPoint client) throws IOException {
        Thread copier = Thread.currentThread();
        boolean[] abandoned = {false};
        ScheduledFuture<?> check = WATCHDOG.scheduleWithFixedDelay(() -> {
            if (!connected(client)) {
                synchronized (abandoned) {
                    abandoned[0] = true;
                    copier.interrupt();
                }
                try {
                    in.close();
                } catch (IOException e) {
                    // closing is how the blocked read is ended; nothing more to do
                }
            }
        }, 2, 2, TimeUnit.SECONDS);
        try {
            chunks(in, out);
        } finally {
            check.cancel(false);
            synchronized (abandoned) {
                // the thread goes back to its pool: it must not carry the interrupt meant for this copy
                Thread.interrupted();
            }
            if (abandoned[0]) {
                in.close();
            }
        }
    }
}
