package dev.tug.node.agent;

import dev.tug.node.runtime.ContainerFailure;
import dev.tug.node.runtime.ContainerRuntime;
import dev.tug.node.runtime.PodIdentity;
import dev.tug.node.runtime.RunningContainer;
import dev.tug.node.runtime.Sandbox;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.client.internal.SSLUtils;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;

import javax.net.ssl.SSLContext;

/** Runs one probe once: exec in the container, a TCP connect or an HTTP GET to the pod's address. */
final class Prober {

    /** The outcome and, for a failure, why (shown in the Unhealthy event). */
    record Result(boolean success, String message) {
    }

    private final ContainerRuntime runtime;
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(1))
            .sslContext(trustingEveryCertificate())
            .build();

    Prober(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    Result probe(Probe probe, Container container, PodIdentity pod, Sandbox sandbox, RunningContainer running) {
        Duration timeout = Duration.ofSeconds(probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds());
        try {
            if (probe.getExec() != null) {
                var result = runtime.exec(pod, sandbox, running, probe.getExec().getCommand(), timeout);
                if (result.timedOut()) {
                    return new Result(false, "command timed out after " + timeout.toSeconds() + "s");
                }
                return new Result(result.exitCode() == 0, result.output().strip());
            }
            if (probe.getTcpSocket() != null) {
                String host = blankTo(probe.getTcpSocket().getHost(), sandbox.podIp());
                int port = port(probe.getTcpSocket().getPort(), container);
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                    return new Result(true, "");
                }
            }
            if (probe.getHttpGet() != null) {
                var get = probe.getHttpGet();
                String scheme = get.getScheme() == null ? "http" : get.getScheme().toLowerCase();
                String host = blankTo(get.getHost(), sandbox.podIp());
                String path = get.getPath() == null || get.getPath().isEmpty() ? "/" : get.getPath();
                URI uri = URI.create(scheme + "://" + host + ":" + port(get.getPort(), container) + (path.startsWith("/") ? "" : "/") + path);
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                        .header("User-Agent", "kube-probe/1.32");
                if (get.getHttpHeaders() != null) {
                    get.getHttpHeaders().forEach(h -> request.header(h.getName(), h.getValue()));
                }
                int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                return new Result(status >= 200 && status < 400, "HTTP probe failed with statuscode: " + status);
            }
            return new Result(true, "");
        } catch (ContainerFailure | IOException | IllegalArgumentException e) {
            return new Result(false, e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        }
    }

    /**
     * An HTTPS probe checks neither the certificate's issuer nor its names, as kubelet does: pods
     * serve self-signed certificates for names other than their address. fabric8's trust-all
     * manager is an extended one, which also keeps the JDK client from checking the host name.
     */
    private static SSLContext trustingEveryCertificate() {
        try {
            return SSLUtils.sslContext(null, SSLUtils.trustManagers(null, null, true, null, null));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS for HTTPS probes", e);
        }
    }

    private static String blankTo(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /** A port by number or by the name of one of the container's ports. */
    static int port(IntOrString port, Container container) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        for (ContainerPort candidate : container.getPorts()) {
            if (port.getStrVal().equals(candidate.getName())) {
                return candidate.getContainerPort();
            }
        }
        throw new IllegalArgumentException("no port named " + port.getStrVal() + " in container " + container.getName());
    }
}
