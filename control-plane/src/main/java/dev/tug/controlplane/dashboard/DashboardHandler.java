package dev.tug.controlplane.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.server.Relay;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's HTTP face: the three static files of the page, {@code healthz}, and the JSON API under
 * {@code api/} that the page calls with the operator's token. Paths are relative to wherever the dashboard is
 * mounted, so it works the same on its node port and behind the API server's service proxy.
 */
final class DashboardHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardHandler.class);
    static final String TOKEN_HEADER = "X-Dashboard-Token";
    private static final String STATIC = "/dev/tug/controlplane/dashboard/static/";
    private static final Map<String, String> FILES = Map.of("index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8", "app.css", "text/css; charset=utf-8");
    /** The page loads nothing from elsewhere and may not be framed; inline style attributes draw the bars. */
    private static final String POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

    private final KubeApi api;
    private final Overview overview;
    private final Listing listing;
    private final ObjectDetails details;
    private final Actions actions;
    private final java.nio.file.Path staticDirectory;

    /** @param staticDirectory serve the page's files from here instead of the jar (while working on them); or null */
    DashboardHandler(KubeApi api, Overview overview, Listing listing, ObjectDetails details, Actions actions,
                     java.nio.file.Path staticDirectory) {
        this.staticDirectory = staticDirectory;
        this.api = api;
        this.overview = overview;
        this.listing = listing;
        this.details = details;
        this.actions = actions;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getDecodedPath();
        List<String> s = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
        try {
            if (s.isEmpty() || s.size() == 1 && FILES.containsKey(s.get(0))) {
                file(response, callback, s.isEmpty() ? "index.html" : s.get(0));
            } else if (s.equals(List.of("healthz"))) {
                send(response, callback, 200, "text/plain", "ok".getBytes(StandardCharsets.UTF_8));
            } else if (s.get(0).equals("api") && s.size() >= 2) {
                api(request, response, callback, s.subList(1, s.size()));
            } else {
                throw new DashboardException(404, "no page at " + path);
            }
        } catch (DashboardException e) {
            json(response, callback, e.status(), Json.object().put("message", e.getMessage()));
        } catch (RuntimeException | IOException e) {
            LOG.error("{} {} failed", request.getMethod(), path, e);
            json(response, callback, 500, Json.object().put("message", String.valueOf(e.getMessage())));
        }
        return true;
    }

    private void api(Request request, Response response, Callback callback, List<String> s) throws IOException {
        String method = request.getMethod();
        if (s.equals(List.of("login")) && method.equals("POST")) {
            String token = body(request).path("token").asText("").strip();
            if (token.isEmpty()) {
                throw new DashboardException(401, "paste a bearer token; get one with `tug get secrets admin --name CLUSTER`");
            }
            api.get(token, "/api/v1/namespaces");
            json(response, callback, 200, Json.object().put("user", "token"));
            return;
        }
        String token = token(request);
        Fields query = Request.extractQueryParameters(request);
        String verb = s.get(0);
        switch (verb) {
            case "overview" -> json(response, callback, 200, overview.build(token, namespaceQuery(query)));
            case "list" -> {
                require(s, 2, "api/list/RESOURCE");
                json(response, callback, 200, listing.build(token, DashboardResource.of(s.get(1)),
                        namespaceQuery(query), query.getValue("fieldSelector"), query.getValue("labelSelector")));
            }
            case "object" -> {
                require(s, 4, "api/object/RESOURCE/NAMESPACE/NAME");
                DashboardResource resource = DashboardResource.of(s.get(1));
                String namespace = namespace(s.get(2));
                if (method.equals("DELETE")) {
                    json(response, callback, 200, actions.delete(token, resource, namespace, name(s.get(3)),
                            "true".equals(query.getValue("withService"))));
                } else {
                    json(response, callback, 200, details.build(token, resource, namespace, name(s.get(3)),
                            "true".equals(query.getValue("reveal"))));
                }
            }
            case "logs" -> {
                require(s, 3, "api/logs/NAMESPACE/POD");
                logs(request, response, callback, token, namespace(s.get(1)), name(s.get(2)), query);
            }
            case "apps" -> {
                requirePost(method);
                json(response, callback, 201, actions.createApp(token, Actions.App.from(body(request))));
            }
            case "scale", "restart" -> {
                require(s, 4, "api/" + verb + "/RESOURCE/NAMESPACE/NAME");
                requirePost(method);
                DashboardResource resource = DashboardResource.of(s.get(1));
                String namespace = namespace(s.get(2));
                json(response, callback, 200, verb.equals("scale")
                        ? actions.scale(token, resource, namespace, name(s.get(3)), body(request))
                        : actions.restart(token, resource, namespace, name(s.get(3))));
            }
            default -> throw new DashboardException(404, "no API at api/" + String.join("/", s));
        }
    }

    private void logs(Request request, Response response, Callback callback, String token, String namespace, String pod,
                      Fields query)
            throws IOException {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("container", query.getValue("container"));
        parameters.put("follow", "true".equals(query.getValue("follow")) ? "true" : null);
        String tail = query.getValue("tailLines");
        parameters.put("tailLines", tail != null && tail.matches("\\d{1,6}") ? tail : null);
        InputStream in = api.stream(token, DashboardResource.PODS.path(namespace, pod) + "/log" + KubeApi.query(parameters));
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        // proxies in between (nginx, the API server's service proxy) must pass each chunk on at once
        response.getHeaders().put("X-Accel-Buffering", "no");
        Relay.respond(in, response, callback, request.getConnectionMetaData().getConnection().getEndPoint());
    }

    private static String token(Request request) {
        String token = request.getHeaders().get(TOKEN_HEADER);
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if ((token == null || token.isBlank()) && authorization != null
                && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7);
        }
        if (token == null || token.isBlank()) {
            throw new DashboardException(401, "sign in with a bearer token; get one with `tug get secrets admin --name CLUSTER`");
        }
        return token.strip();
    }

    private static String namespace(String segment) {
        if (segment.equals("-")) {
            return null;
        }
        KubeApi.checkName("namespace", segment);
        return segment;
    }

    /** The namespace a list or the overview is limited to: empty for all, else a name (it goes into the API path). */
    private static String namespaceQuery(Fields query) {
        String namespace = query.getValue("namespace");
        return namespace == null || namespace.isEmpty() ? null : namespace(namespace);
    }

    private static String name(String segment) {
        KubeApi.checkName("name", segment);
        return segment;
    }

    private static void require(List<String> s, int size, String form) {
        if (s.size() != size) {
            throw new DashboardException(404, "expected " + form);
        }
    }

    private static void requirePost(String method) {
        if (!method.equals("POST")) {
            throw new DashboardException(405, "use POST");
        }
    }

    private static JsonNode body(Request request) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readAllBytes();
            return bytes.length == 0 ? Json.object() : Json.MAPPER.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DashboardException(400, "the request body is not JSON: " + e.getOriginalMessage());
        }
    }

    private void file(Response response, Callback callback, String name) throws IOException {
        try (InputStream in = staticDirectory != null ? java.nio.file.Files.newInputStream(staticDirectory.resolve(name))
                : DashboardHandler.class.getResourceAsStream(STATIC + name)) {
            if (in == null) {
                throw new DashboardException(404, name + " is missing from this build of tug");
            }
            response.getHeaders().put("Content-Security-Policy", POLICY);
            send(response, callback, 200, FILES.get(name), in.readAllBytes());
        }
    }

    private static void json(Response response, Callback callback, int status, JsonNode body) {
        send(response, callback, status, "application/json", Json.bytes(body));
    }

    private static void send(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, java.nio.ByteBuffer.wrap(body), callback);
    }
}
