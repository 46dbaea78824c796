package dev.tug.controlplane.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.objects.ResourceService;
import io.fabric8.kubernetes.api.model.Node;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pods/NAME/log}: the logs live with the node agent that runs the pod, so the request is
 * passed on to it (with the node's agent token) and its answer streamed back, as the
 * Kubernetes API server does with the kubelet.
 */
final class PodLogs {

    static final String AGENT_TOKEN_ANNOTATION = "tug.dev/agent-token";
    private static final List<String> PASSED_ON = List.of("follow", "previous", "tailLines", "limitBytes");

    private final ResourceService service;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    PodLogs(ResourceService service) {
        this.service = service;
    }

    /** @param client the client's connection: a follow it left must not hold the agent's stream */
    void stream(JsonNode pod, Fields query, Response response, Callback callback,
                org.eclipse.jetty.io.EndPoint client) throws IOException, InterruptedException {
        String name = Json.text(pod, "metadata", "name");
        String container = container(pod, query.getValue("container"));
        String nodeName = Json.text(pod, "spec", "nodeName");
        if (nodeName == null) {
            throw ApiException.badRequest("container \"" + container + "\" in pod \"" + name
                    + "\" is waiting to start: the pod is not scheduled to a node yet");
        }
        JsonNode node = service.find(ApiResources.of(Node.class), null, nodeName)
                .orElseThrow(() -> ApiException.badRequest("pod \"" + name + "\" runs on node \"" + nodeName + "\", which is gone"));
        URI uri = agentUri(node, pod, container, query);
        String token = Json.text(node, "metadata", "annotations", AGENT_TOKEN_ANNOTATION);
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw ApiException.of(502, "BadGateway", "cannot reach the agent of node \"" + nodeName + "\" at "
                    + uri.getHost() + ":" + uri.getPort() + ": " + e.getMessage());
        }
        if (answer.statusCode() != 200) {
            try (InputStream in = answer.body()) {
                String reason = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                throw ApiException.badRequest(waiting(pod, container).orElse(reason));
            }
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
        Relay.respond(answer.body(), response, callback, client);
    }

    /** The container asked for; the only one when the pod has one, as kubectl expects. */
    private static String container(JsonNode pod, String requested) {
        List<String> names = new ArrayList<>();
        pod.path("spec").path("containers").forEach(c -> names.add(c.path("name").asText()));
        List<String> all = new ArrayList<>(names);
        pod.path("spec").path("initContainers").forEach(c -> all.add(c.path("name").asText()));
        String name = Json.text(pod, "metadata", "name");
        if (requested == null || requested.isEmpty()) {
            if (names.size() == 1) {
                return names.get(0);
            }
            throw ApiException.badRequest("a container name must be specified for pod " + name + ", choose one of: "
                    + names);
        }
        if (!all.contains(requested)) {
            throw ApiException.badRequest("container " + requested + " is not valid for pod " + name);
        }
        return requested;
    }

    /** Kubernetes' wording for a container that has not run yet. */
    private static java.util.Optional<String> waiting(JsonNode pod, String container) {
        for (String field : List.of("containerStatuses", "initContainerStatuses")) {
            for (JsonNode status : pod.path("status").path(field)) {
                if (container.equals(status.path("name").asText()) && status.path("state").has("waiting")
                        && status.path("restartCount").asInt() == 0) {
                    return java.util.Optional.of("container \"" + container + "\" in pod \"" + Json.text(pod, "metadata", "name")
                            + "\" is waiting to start: " + status.path("state").path("waiting").path("reason").asText("ContainerCreating"));
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static URI agentUri(JsonNode node, JsonNode pod, String container, Fields query) {
        String address = null;
        for (JsonNode entry : node.path("status").path("addresses")) {
            if (entry.path("type").asText().equals("InternalIP")) {
                address = entry.path("address").asText();
            }
        }
        int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
        if (address == null || port == 0) {
            throw ApiException.badRequest("node \"" + Json.text(node, "metadata", "name")
                    + "\" has no agent address to fetch logs from");
        }
        StringBuilder uri = new StringBuilder("http://").append(address.contains(":") ? "[" + address + "]" : address)
                .append(':').append(port).append("/containerLogs/")
                .append(Json.text(pod, "metadata", "namespace")).append('/').append(Json.text(pod, "metadata", "name"))
                .append('/').append(container);
        String separator = "?";
        for (String parameter : PASSED_ON) {
            String value = query.getValue(parameter);
            if (value != null) {
                uri.append(separator).append(parameter).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                separator = "&";
            }
        }
        return URI.create(uri.toString());
    }
}
