package dev.tug.controlplane.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.objects.ResourceService;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code services/[SCHEME:]NAME[:PORT]/proxy/PATH}: passes a request on to one ready endpoint of the Service and
 * streams the answer back, as the Kubernetes API server does; {@code kubectl proxy} and browsers reach in-cluster
 * web UIs this way. As there, the caller's Authorization header is not passed on (it was for the API server),
 * and an {@code https} backend's certificate is not checked (endpoints are pod addresses no certificate names).
 */
final class ServiceProxy {
    /** Hop-by-hop headers, and those the JDK's client sets itself. */
    private static final Set<String> NOT_PASSED = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "host", "content-length", "expect", "authorization",
            "proxy-authorization", "http2-settings");

    private final ResourceService service;
    private final HttpClient http = client(false);
    private final HttpClient https = client(true);

    ServiceProxy(ResourceService service) {
        this.service = service;
    }

    /**
     * @param target the {@code [SCHEME:]NAME[:PORT]} segment
     * @param path   the raw path after {@code /proxy}, with its leading slash (may be empty)
     */
    void forward(Request request, Response response, Callback callback, String namespace, String target, String path)
            throws IOException, InterruptedException {
        if (path.isEmpty()) {
            // relative links in the proxied page resolve against the directory, so it needs its slash
            String query = request.getHttpURI().getQuery();
            response.setStatus(301);
            response.getHeaders().put(HttpHeader.LOCATION, request.getHttpURI().getPath() + "/"
                    + (query == null ? "" : "?" + query));
            response.write(true, null, callback);
            return;
        }
        // as Kubernetes reads it: NAME, NAME:PORT or SCHEME:NAME:PORT
        String[] parts = target.split(":", -1);
        if (parts.length > 3 || parts.length == 3 && !parts[0].equals("http") && !parts[0].equals("https")) {
            throw ApiException.badRequest("invalid service request \"" + target + "\": expected [http:|https:]NAME[:PORT]");
        }
        String scheme = parts.length == 3 ? parts[0] : "http";
        String name = parts.length == 3 ? parts[1] : parts[0];
        String port = parts.length == 3 ? parts[2] : parts.length == 2 ? parts[1] : "";
        URI backend = URI.create(scheme + "://" + endpoint(namespace, name, port) + path
                + (request.getHttpURI().getQuery() == null ? "" : "?" + request.getHttpURI().getQuery()));
        HttpRequest.Builder forward = HttpRequest.newBuilder(backend).method(request.getMethod(), body(request));
        for (HttpField field : request.getHeaders()) {
            if (!NOT_PASSED.contains(field.getLowerCaseName())) {
                forward.header(field.getName(), field.getValue());
            }
        }
        HttpResponse<InputStream> answer;
        try {
            answer = (scheme.equals("https") ? https : http).send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw ApiException.of(503, "ServiceUnavailable", "error trying to reach service: " + e.getMessage());
        }
        response.setStatus(answer.statusCode());
        answer.headers().map().forEach((header, values) -> {
            if (!NOT_PASSED.contains(header.toLowerCase()) && !header.startsWith(":")) {
                values.forEach(value -> response.getHeaders().add(header, value));
            }
        });
        Relay.respond(answer.body(), response, callback, request.getConnectionMetaData().getConnection().getEndPoint());
    }

    /** The request's body as it came: none, of a known length, or chunked. */
    private static HttpRequest.BodyPublisher body(Request request) {
        long length = request.getLength();
        boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (length <= 0 && !chunked) {
            return HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> Content.Source.asInputStream(request));
        return length > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
    }

    /** {@code address:port} of a ready endpoint of the Service's port (by name or number; the first when not given). */
    private String endpoint(String namespace, String name, String port) {
        JsonNode svc = service.get(ApiResources.of(Service.class), namespace, name);
        JsonNode servicePort = null;
        for (JsonNode candidate : svc.path("spec").path("ports")) {
            if (port.isEmpty() || port.equals(candidate.path("name").asText()) || port.equals(candidate.path("port").asText())) {
                servicePort = candidate;
                break;
            }
        }
        if (servicePort == null) {
            throw ApiException.of(503, "ServiceUnavailable", "no service port \"" + port + "\" found for service \"" + name + "\"");
        }
        String portName = servicePort.path("name").asText("");
        List<String> ready = new ArrayList<>();
        JsonNode endpoints = service.find(ApiResources.of(Endpoints.class), namespace, name).orElse(null);
        if (endpoints != null) {
            for (JsonNode subset : endpoints.path("subsets")) {
                for (JsonNode endpointPort : subset.path("ports")) {
                    if (portName.equals(endpointPort.path("name").asText(""))) {
                        int number = endpointPort.path("port").asInt();
                        subset.path("addresses").forEach(a -> ready.add(host(a.path("ip").asText()) + ":" + number));
                    }
                }
            }
        }
        if (ready.isEmpty()) {
            throw ApiException.of(503, "ServiceUnavailable", "no endpoints available for service \"" + name + "\"");
        }
        return ready.get(ThreadLocalRandom.current().nextInt(ready.size()));
    }

    private static String host(String ip) {
        return ip.contains(":") ? "[" + ip + "]" : ip;
    }

    private static HttpClient client(boolean trustAll) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (trustAll) {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustAll()}, null);
                builder.sslContext(context);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return builder.build();
    }

    /**
     * Endpoints are pod addresses that no certificate names; the Kubernetes API server does not check them either.
     * An extended trust manager, because the JDK wraps a plain one in a check of the host name.
     */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
