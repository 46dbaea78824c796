package dev.tug.controlplane.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.Json;

/**
 * {@code pods/NAME/log}. Logs live with the node agent that runs the pod; until an agent serves
 * them, the answer says where the pod stands instead of pretending it printed nothing.
 */
final class PodLogs {

    private PodLogs() {
    }

    static ApiException unavailable(JsonNode pod, String container) {
        String name = Json.text(pod, "metadata", "name");
        String chosen = container != null ? container : Json.text(pod.path("spec").path("containers").path(0), "name");
        String node = Json.text(pod, "spec", "nodeName");
        if (node == null) {
            return ApiException.badRequest("container \"" + chosen + "\" in pod \"" + name
                    + "\" is waiting to start: the pod is not scheduled to a node yet");
        }
        return ApiException.badRequest("container \"" + chosen + "\" in pod \"" + name
                + "\" has no logs here: node \"" + node + "\" has no agent serving logs");
    }
}
