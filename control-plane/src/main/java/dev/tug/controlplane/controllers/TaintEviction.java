package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.scheduler.Tolerations;

import java.time.Instant;
import java.util.List;

/**
 * When Kubernetes' taint manager evicts a pod from a node with NoExecute taints: at once when a
 * taint is not tolerated; otherwise when the shortest tolerationSeconds among the tolerations
 * used runs out (each taint answered by the first toleration that matches it, as Kubernetes
 * does); never when they tolerate for ever. The clock starts when the taint was added, or when
 * the pod was created if that was later, so a pod bound to a tainted node gets its full time.
 */
final class TaintEviction {

    private TaintEviction() {
    }

    /** The moment the pod must go (possibly already past), or null when it may stay. */
    static Instant due(JsonNode pod, List<JsonNode> noExecuteTaints, Instant now) {
        Instant due = null;
        for (JsonNode taint : noExecuteTaints) {
            JsonNode toleration = firstMatching(pod, taint);
            if (toleration == null) {
                return now;
            }
            JsonNode seconds = toleration.get("tolerationSeconds");
            if (seconds == null || seconds.isNull()) {
                continue;
            }
            Instant start = later(time(taint.path("timeAdded"), now), time(pod.path("metadata").path("creationTimestamp"), null));
            Instant end = start.plusSeconds(Math.max(0, seconds.asLong()));
            due = due == null || end.isBefore(due) ? end : due;
        }
        return due;
    }

    private static JsonNode firstMatching(JsonNode pod, JsonNode taint) {
        for (JsonNode toleration : pod.path("spec").path("tolerations")) {
            if (Tolerations.matches(toleration, taint)) {
                return toleration;
            }
        }
        return null;
    }

    private static Instant time(JsonNode value, Instant fallback) {
        String text = value.isTextual() ? value.asText() : null;
        return text == null || text.isEmpty() ? fallback : Instant.parse(text);
    }

    private static Instant later(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }

    /** The node's NoExecute taints. */
    static List<JsonNode> noExecute(JsonNode node) {
        List<JsonNode> taints = new java.util.ArrayList<>();
        for (JsonNode taint : node.path("spec").path("taints")) {
            if ("NoExecute".equals(Json.text(taint, "effect"))) {
                taints.add(taint);
            }
        }
        return taints;
    }
}
