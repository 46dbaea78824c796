package dev.tug.node.agent;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The agent's own HTTP endpoint, which the API server calls for {@code kubectl logs}:
 * {@code GET /containerLogs/NAMESPACE/POD/CONTAINER?follow&previous&tailLines&limitBytes}.
 * Callers present the node's token (published on the Node for the API server) as a bearer token.
 */
final class AgentServer implements AutoCloseable {

    /** What the server needs from the agent: where a pod's files are and whether a run still writes. */
    interface Pods {
        Optional<Path> directory(String namespace, String name);

        boolean running(String namespace, String name, String container, int attempt);
    }

    private final Server jetty;

    AgentServer(String host, int port, String token, Pods pods) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64, 2);
        threads.setName("agent-http");
        threads.setDaemon(true);
        jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(3600_000);
        jetty.addConnector(connector);
        jetty.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                // streaming blocks: hand off to a pool thread
                threads.execute(() -> serve(request, response, callback, token, pods));
                return true;
            }
        });
        jetty.start();
    }

    int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    private static void serve(Request request, Response response, Callback callback, String token, Pods pods) {
        try {
            String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (auth == null || !MessageDigest.isEqual(("Bearer " + token).getBytes(StandardCharsets.UTF_8),
                    auth.getBytes(StandardCharsets.UTF_8))) {
                fail(response, callback, 401, "unauthorized\n");
                return;
            }
            String[] parts = Request.getPathInContext(request).split("/");
            if (parts.length != 5 || !parts[1].equals("containerLogs")) {
                fail(response, callback, 404, "not found\n");
                return;
            }
            String namespace = parts[2];
            String pod = parts[3];
            String container = parts[4];
            Fields query = Request.extractQueryParameters(request);
            boolean follow = "true".equals(query.getValue("follow"));
            boolean previous = "true".equals(query.getValue("previous"));
            Integer tail = query.getValue("tailLines") == null ? null : Integer.valueOf(query.getValue("tailLines"));
            Long limit = query.getValue("limitBytes") == null ? null : Long.valueOf(query.getValue("limitBytes"));
            Optional<Path> directory = pods.directory(namespace, pod);
            Optional<Path> file = directory.isEmpty() ? Optional.empty() : ContainerLogs.file(directory.get(), container, previous);
            if (file.isEmpty()) {
                fail(response, callback, 404, previous
                        ? "previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found\n"
                        : "container \"" + container + "\" in pod \"" + pod + "\" has no logs yet\n");
                return;
            }
            int attempt = ContainerLogs.attempt(file.get());
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                ContainerLogs.copy(file.get(), out, tail, limit, follow && !previous,
                        () -> pods.running(namespace, pod, container, attempt));
            }
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
        }
    }

    private static void fail(Response response, Callback callback, int status, String message) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, java.nio.ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), callback);
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
