package dev.tug.controlplane.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.tables.Selectors;

import java.util.List;

/** The {@code scale} subresource: an autoscaling/v1 {@code Scale} view of a workload's replicas. */
public final class Scales {

    private Scales() {
    }

    public static ObjectNode toScale(ObjectNode workload) {
        ObjectNode scale = Json.object().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        JsonNode source = workload.path("metadata");
        for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (source.has(field)) {
                meta.set(field, source.get(field));
            }
        }
        scale.putObject("spec").put("replicas", workload.path("spec").path("replicas").asInt(1));
        ObjectNode status = scale.putObject("status").put("replicas", workload.path("status").path("replicas").asInt(0));
        String selector = Selectors.string(workload.path("spec").path("selector"));
        if (!selector.isEmpty()) {
            status.put("selector", selector);
        }
        return scale;
    }

    /** Applies a Scale's replicas (and resourceVersion, if set) to the workload. */
    public static ObjectNode apply(ObjectNode workload, JsonNode scale) {
        JsonNode replicas = scale.path("spec").path("replicas");
        if (!replicas.isIntegralNumber() || replicas.asInt() < 0) {
            throw ApiException.badRequest("Scale spec.replicas must be a non-negative integer");
        }
        workload.withObjectProperty("spec").put("replicas", replicas.asInt());
        String version = Json.text(scale, "metadata", "resourceVersion");
        Json.metadata(workload).put("resourceVersion", version == null ? "" : version);
        return workload;
    }
}
