package dev.tug.controlplane.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Discovery;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.DeleteOptions;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import dev.tug.controlplane.objects.Scales;
import dev.tug.controlplane.patch.PatchException;
import dev.tug.controlplane.patch.Patches;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The HTTP face of the API server: authenticates, parses Kubernetes REST paths
 * ({@code /api/v1/namespaces/default/pods/web/status}), and maps verbs onto
 * {@link ResourceService}. Every failure leaves as a {@code Status} object.
 */
final class ApiHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final List<String> HEALTH = List.of("healthz", "livez", "readyz");
    /** Watches without timeoutSeconds end after 30-60 minutes, so clients spread their re-watches. */
    private static final long MIN_WATCH_SECONDS = 1800;

    private final ResourceService service;
    private final Authenticator authenticator;
    private final String version;
    private final WatchStream watches;
    private final PodLogs podLogs;
    private final ServiceProxy serviceProxy;
    private final OpenApi openApi = new OpenApi();

    ApiHandler(ResourceService service, Authenticator authenticator, String version) {
        this.service = service;
        this.authenticator = authenticator;
        this.version = version;
        this.watches = new WatchStream(service);
        this.podLogs = new PodLogs(service);
        this.serviceProxy = new ServiceProxy(service);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getDecodedPath();
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        try {
            if (segments.size() == 1 && HEALTH.contains(segments.get(0))) {
                text(response, callback, 200, "ok");
                return true;
            }
            authenticate(request);
            route(request, response, callback, segments);
        } catch (ApiException e) {
            json(response, callback, e.code(), Json.tree(e.status()), "application/json");
        } catch (RuntimeException | IOException e) {
            LOG.error("{} {} failed", request.getMethod(), path, e);
            ApiException failure = ApiException.internal(String.valueOf(e.getMessage()));
            json(response, callback, 500, Json.tree(failure.status()), "application/json");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
        }
        return true;
    }

    private User authenticate(Request request) {
        EndPoint.SslSessionData ssl = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        Optional<User> user = authenticator.authenticate(ssl == null ? null : ssl.peerCertificates(),
                request.getHeaders().get(HttpHeader.AUTHORIZATION));
        return user.orElseThrow(() -> ApiException.of(401, "Unauthorized", "Unauthorized"));
    }

    private void route(Request request, Response response, Callback callback, List<String> s)
            throws IOException, InterruptedException {
        boolean aggregated = acceptsAggregatedDiscovery(request);
        if (s.isEmpty()) {
            ObjectNode paths = Json.object();
            var array = paths.putArray("paths");
            List.of("/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1", "/apis/batch", "/apis/batch/v1",
                    "/apis/discovery.k8s.io", "/apis/discovery.k8s.io/v1",
                    "/healthz", "/livez", "/openapi/v2", "/openapi/v3", "/readyz", "/version").forEach(array::add);
            ok(response, callback, paths);
        } else if (s.equals(List.of("version"))) {
            ok(response, callback, versionInfo());
        } else if (s.equals(List.of("api")) || s.equals(List.of("apis"))) {
            boolean core = s.get(0).equals("api");
            if (aggregated) {
                json(response, callback, 200, Discovery.aggregated(core), Discovery.AGGREGATED_CONTENT_TYPE);
            } else {
                ok(response, callback, core ? Discovery.coreVersions(serverAddress(request)) : Discovery.groups());
            }
        } else if (s.get(0).equals("openapi")) {
            JsonNode doc = openApi.document(s.subList(1, s.size()));
            if (doc == null) {
                throw ApiException.of(404, "NotFound", "the server could not find the requested resource");
            }
            ok(response, callback, doc);
        } else if (s.get(0).equals("api") && s.size() >= 2 && s.get(1).equals("v1")) {
            resources(request, response, callback, "", "v1", s.subList(2, s.size()));
        } else if (s.get(0).equals("apis") && s.size() == 2) {
            String groupVersion = s.get(1) + "/v1";
            if (Discovery.resources(groupVersion) == null) {
                throw notFound();
            }
            ok(response, callback, Discovery.group(groupVersion));
        } else if (s.get(0).equals("apis") && s.size() >= 3) {
            resources(request, response, callback, s.get(1), s.get(2), s.subList(3, s.size()));
        } else {
            throw notFound();
        }
    }

    private void resources(Request request, Response response, Callback callback, String group, String version,
            List<String> rest) throws IOException, InterruptedException {
        if (rest.isEmpty()) {
            ObjectNode doc = Discovery.resources(group.isEmpty() ? version : group + "/" + version);
            if (doc == null) {
                throw notFound();
            }
            ok(response, callback, doc);
            return;
        }
        String namespace = null;
        List<String> r = rest;
        if (r.size() >= 3 && r.get(0).equals("namespaces") && ApiResources.find(group, version, r.get(2))
                .filter(ResourceType::namespaced).isPresent()) {
            namespace = r.get(1);
            r = r.subList(2, r.size());
        }
        String plural = r.get(0);
        ResourceType type = ApiResources.find(group, version, plural).orElseThrow(this::notFound);
        if (namespace != null && r.size() >= 3 && plural.equals("services") && r.get(2).equals("proxy")) {
            String raw = request.getHttpURI().getPath();
            int proxy = raw.indexOf("/proxy", raw.indexOf("/services/") + "/services/".length());
            serviceProxy.forward(request, response, callback, namespace, r.get(1), raw.substring(proxy + "/proxy".length()));
            return;
        }
        if (r.size() > 3) {
            throw notFound();
        }
        String name = r.size() >= 2 ? r.get(1) : null;
        String subresource = r.size() == 3 ? r.get(2) : null;
        if (subresource != null && !type.subresources().contains(subresource)) {
            throw notFound();
        }
        if (type.namespaced() && namespace == null && name != null) {
            throw notFound();
        }
        Fields query = Request.extractQueryParameters(request);
        String method = request.getMethod();
        if (name == null) {
            collection(request, response, callback, type, namespace, query, method);
        } else {
            item(request, response, callback, type, namespace, name, subresource, query, method);
        }
    }

    private void collection(Request request, Response response, Callback callback, ResourceType type,
            String namespace, Fields query, String method) throws IOException, InterruptedException {
        LabelSelector labels = LabelSelector.parse(query.getValue("labelSelector"));
        FieldSelector fields = FieldSelector.parse(query.getValue("fieldSelector"));
        Representation representation = representation(request, query);
        switch (method) {
            case "GET" -> {
                String watch = query.getValue("watch");
                if ("true".equals(watch) || "1".equals(watch)) {
                    watch(request, response, callback, new WatchStream.Query(type, namespace, labels, fields,
                            query.getValue("resourceVersion"), watchTimeoutMillis(query),
                            "true".equals(query.getValue("allowWatchBookmarks"))), representation);
                    return;
                }
                ResourceService.ListResult list = service.list(type, namespace, labels, fields);
                json(response, callback, 200, representation.list(type, list.items(), list.revision()),
                        representation.contentType());
            }
            case "POST" -> {
                if (type.namespaced() && namespace == null) {
                    throw ApiException.methodNotAllowed("create of " + type.plural() + " needs a namespace in the path");
                }
                RequestOptions options = writeOptions(query);
                ObjectNode created = service.create(type, namespace, body(request), options);
                warnings(response, options);
                json(response, callback, 201, representation.single(type, created), representation.contentType());
            }
            case "DELETE" -> {
                DeleteOptions options = deleteOptions(request, query);
                ResourceService.ListResult list = service.list(type, namespace, labels, fields);
                for (ObjectNode item : list.items()) {
                    try {
                        service.delete(type, ObjectMetadata.namespace(item), ObjectMetadata.name(item), options);
                    } catch (ApiException e) {
                        if (e.code() != 404) {
                            throw e;
                        }
                    }
                }
                ok(response, callback, representation.list(type, list.items(), service.store().currentRevision()));
            }
            default -> throw ApiException.methodNotAllowed(method + " is not supported on " + type.plural());
        }
    }

    private void item(Request request, Response response, Callback callback, ResourceType type, String namespace,
            String name, String subresource, Fields query, String method) throws IOException {
        Representation representation = representation(request, query);
        if (ResourceType.LOG.equals(subresource)) {
            try {
                podLogs.stream(service.get(type, namespace, name), query, response, callback,
                        request.getConnectionMetaData().getConnection().getEndPoint());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                callback.failed(e);
            }
            return;
        }
        if (ResourceType.BINDING.equals(subresource)) {
            bind(request, response, callback, type, namespace, name, method);
            return;
        }
        boolean scale = ResourceType.SCALE.equals(subresource);
        switch (method) {
            case "GET" -> {
                ObjectNode object = service.get(type, namespace, name);
                ok(response, callback, scale ? Scales.toScale(object) : representation.single(type, object));
            }
            case "PUT" -> {
                RequestOptions options = writeOptions(query);
                ObjectNode body = body(request);
                ObjectNode updated;
                if (scale) {
                    updated = service.update(type, namespace, name, null, options, w -> Scales.apply(w, body));
                } else if ("finalize".equals(subresource)) {
                    updated = service.update(type, namespace, name, null, options, ns -> finalize(ns, body));
                } else {
                    updated = service.update(type, namespace, name, subresource, body, options);
                }
                warnings(response, options);
                ok(response, callback, scale ? Scales.toScale(updated) : representation.single(type, updated));
            }
            case "PATCH" -> {
                RequestOptions options = writeOptions(query);
                String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
                JsonNode patch = patchBody(request);
                ObjectNode patched = service.update(type, namespace, name, scale ? null : subresource, options,
                        current -> scale ? Scales.apply(current, patch(contentType, Scales.toScale(current), patch,
                                Scale.class)) : (ObjectNode) patch(contentType, current, patch, type.javaType()));
                warnings(response, options);
                ok(response, callback, scale ? Scales.toScale(patched) : representation.single(type, patched));
            }
            case "DELETE" -> {
                ResourceService.DeleteOutcome outcome = service.delete(type, namespace, name,
                        deleteOptions(request, query));
                if (outcome.finished()) {
                    ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1");
                    status.putObject("metadata");
                    status.put("status", "Success");
                    status.putObject("details").put("name", name).put("group", type.group()).put("kind", type.plural())
                            .put("uid", ObjectMetadata.uid(outcome.object()));
                    ok(response, callback, status);
                } else {
                    json(response, callback, 202, outcome.object(), "application/json");
                }
            }
            default -> throw ApiException.methodNotAllowed(method + " is not supported on " + type.plural() + "/" + name);
        }
    }

    /** PUT namespaces/NAME/finalize: the only way to change a namespace's spec.finalizers. */
    private static ObjectNode finalize(ObjectNode namespace, ObjectNode body) {
        JsonNode finalizers = body.path("spec").path("finalizers");
        namespace.withObjectProperty("spec").set("finalizers", finalizers.isArray() ? finalizers : Json.MAPPER.createArrayNode());
        return namespace;
    }

    private static JsonNode patch(String contentType, JsonNode current, JsonNode patch, Class<?> javaType) {
        try {
            return Patches.apply(contentType == null ? "" : contentType.split(";")[0].trim(), current, patch, javaType);
        } catch (PatchException e) {
            throw ApiException.of(e.kind().httpStatus(), e.kind().reason(), e.getMessage());
        }
    }

    private void watch(Request request, Response response, Callback callback, WatchStream.Query query,
            Representation representation) throws IOException, InterruptedException {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, representation.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, private");
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            // commit the headers now: clients wait for them before they consider the watch started
            Content.Sink.write(response, false, ByteBuffer.allocate(0));
            watches.run(query, representation.forWatch(query.type()), out, endPoint::isOpen);
        } catch (IOException e) {
            // the client went away mid-stream: nothing to answer
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    private static long watchTimeoutMillis(Fields query) {
        String timeout = query.getValue("timeoutSeconds");
        if (timeout != null) {
            try {
                return Math.max(1, Long.parseLong(timeout)) * 1000;
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("timeoutSeconds must be a number, not \"" + timeout + "\"");
            }
        }
        return (MIN_WATCH_SECONDS + ThreadLocalRandom.current().nextLong(MIN_WATCH_SECONDS)) * 1000;
    }

    private Representation representation(Request request, Fields query) {
        return Representation.negotiate(request.getHeaders().get(HttpHeader.ACCEPT), query.getValue("includeObject"),
                service.clock());
    }

    private static RequestOptions writeOptions(Fields query) {
        return new RequestOptions("All".equals(query.getValue("dryRun")),
                RequestOptions.fieldValidation(query.getValue("fieldValidation")));
    }

    private static DeleteOptions deleteOptions(Request request, Fields query) throws IOException {
        byte[] bytes = readBody(request);
        ObjectNode body = bytes.length == 0 ? null : Json.parseObject(bytes);
        return DeleteOptions.parse(body, query.getValue("propagationPolicy"), query.getValue("gracePeriodSeconds"),
                query.getValue("orphanDependents"), "All".equals(query.getValue("dryRun")));
    }

    /**
     * {@code POST pods/NAME/binding} with a v1 Binding, as schedulers assign pods; answers a
     * Status like Kubernetes, 409 when the pod is already bound.
     */
    private void bind(Request request, Response response, Callback callback, ResourceType type, String namespace,
            String name, String method) throws IOException {
        if (!"POST".equals(method)) {
            throw ApiException.methodNotAllowed(method + " is not supported on pods/binding; POST a Binding");
        }
        ObjectNode binding = body(request);
        String target = Json.text(binding, "target", "name");
        if (target == null || target.isEmpty()) {
            throw ApiException.badRequest("a Binding needs target.name, the node to bind to");
        }
        String bound = Json.text(binding, "metadata", "name");
        if (bound != null && !bound.equals(name)) {
            throw ApiException.badRequest("the name of the Binding (" + bound + ") does not match the pod (" + name + ")");
        }
        service.bind(type, namespace, name, target);
        ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1").put("status", "Success");
        status.putObject("metadata");
        json(response, callback, 201, status, "application/json");
    }

    private static ObjectNode body(Request request) throws IOException {
        JsonNode body = patchBody(request);
        if (!body.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        return (ObjectNode) body;
    }

    /** Any JSON document: a JSON patch is an array, every other body an object. */
    private static JsonNode patchBody(Request request) throws IOException {
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (contentType != null && contentType.startsWith(ProtobufBodies.CONTENT_TYPE)) {
            return ProtobufBodies.decode(readBody(request));
        }
        if (contentType != null && !contentType.contains("json")) {
            throw ApiException.of(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                    + "accepted media types include: application/json, application/vnd.kubernetes.protobuf, "
                    + "application/merge-patch+json, "
                    + "application/json-patch+json, application/strategic-merge-patch+json");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(readBody(request));
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("the request body is empty");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static byte[] readBody(Request request) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            return in.readAllBytes();
        }
    }

    /** Whether the client lists the aggregated discovery document (v2) among the media types it accepts. */
    private static boolean acceptsAggregatedDiscovery(Request request) {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",")) {
            List<String> parameters = Arrays.stream(range.split(";")).map(String::trim).toList();
            if (parameters.contains("as=APIGroupDiscoveryList") && parameters.contains("v=v2")
                    && parameters.contains("g=apidiscovery.k8s.io")) {
                return true;
            }
        }
        return false;
    }

    private static String serverAddress(Request request) {
        return Request.getLocalAddr(request) + ":" + Request.getLocalPort(request);
    }

    private ObjectNode versionInfo() {
        return Json.object().put("major", "1").put("minor", "32").put("gitVersion", "v1.32.0+tug-" + version)
                .put("gitCommit", "").put("gitTreeState", "clean").put("buildDate", "")
                .put("goVersion", "java" + Runtime.version().feature()).put("compiler", "tug")
                .put("platform", System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch"));
    }

    private ApiException notFound() {
        return ApiException.of(404, "NotFound", "the server could not find the requested resource");
    }

    private static void warnings(Response response, RequestOptions options) {
        for (String warning : options.warnings()) {
            response.getHeaders().add(HttpHeader.WARNING, "299 - \"" + warning.replace("\"", "\\\"") + "\"");
        }
    }

    private static void ok(Response response, Callback callback, JsonNode body) {
        json(response, callback, 200, body, "application/json");
    }

    private static void json(Response response, Callback callback, int code, JsonNode body, String contentType) {
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.write(true, ByteBuffer.wrap(Json.bytes(body)), callback);
    }

    private static void text(Response response, Callback callback, int code, String body) {
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
