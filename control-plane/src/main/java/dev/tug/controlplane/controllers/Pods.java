package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.objects.ObjectMetadata;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/** What controllers ask of a pod: is it still running, ready, available; and pods made from a template. */
public final class Pods {

    private Pods() {
    }

    public static String phase(JsonNode pod) {
        return pod.path("status").path("phase").asText("Pending");
    }

    /** Finished for good: Succeeded or Failed. */
    public static boolean terminal(JsonNode pod) {
        String phase = phase(pod);
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    /** Counts toward a controller's replicas: not finished and not being deleted. */
    public static boolean active(JsonNode pod) {
        return !terminal(pod) && !ObjectMetadata.deleting(pod);
    }

    public static Optional<JsonNode> condition(JsonNode pod, String type) {
        return Optional.ofNullable(Conditions.find(pod.path("status"), type));
    }

    public static boolean ready(JsonNode pod) {
        return condition(pod, "Ready").map(c -> c.path("status").asText().equals("True")).orElse(false);
    }

    /** When the pod became ready, or null when it is not. */
    public static Instant readySince(JsonNode pod) {
        return condition(pod, "Ready")
                .filter(c -> c.path("status").asText().equals("True"))
                .map(c -> c.path("lastTransitionTime").asText(null))
                .map(Instant::parse)
                .orElse(null);
    }

    /** Ready for at least {@code minReadySeconds}: what Deployments and ReplicaSets call available. */
    public static boolean available(JsonNode pod, long minReadySeconds, Instant now) {
        if (!active(pod) || !ready(pod)) {
            return false;
        }
        if (minReadySeconds <= 0) {
            return true;
        }
        Instant since = readySince(pod);
        return since != null && !since.plus(Duration.ofSeconds(minReadySeconds)).isAfter(now);
    }

    /** How long until a ready pod turns available; zero when it already is or never will by waiting. */
    public static Duration untilAvailable(JsonNode pod, long minReadySeconds, Instant now) {
        Instant since = readySince(pod);
        if (since == null || minReadySeconds <= 0) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, since.plusSeconds(minReadySeconds));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** A new pod from a controller's template, owned by {@code owner}, named {@code prefix} plus a random suffix. */
    public static ObjectNode fromTemplate(JsonNode template, JsonNode owner, String prefix) {
        ObjectNode pod = Json.object();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata");
        meta.put("generateName", prefix);
        meta.put("namespace", ObjectMetadata.namespace(owner));
        JsonNode templateMeta = template.path("metadata");
        for (String field : new String[] {"labels", "annotations", "finalizers"}) {
            if (templateMeta.has(field)) {
                meta.set(field, templateMeta.get(field).deepCopy());
            }
        }
        Owners.adopt(pod, owner);
        pod.set("spec", template.path("spec").deepCopy());
        return pod;
    }

    /**
     * The order in which surplus pods go, as Kubernetes chooses: unscheduled before scheduled,
     * pending before running, not ready before ready, the most restarted and the newest first.
     */
    public static final Comparator<JsonNode> DELETION_ORDER = Comparator
            .comparing((JsonNode p) -> Json.text(p, "spec", "nodeName") != null)
            .thenComparing(p -> phase(p).equals("Running"))
            .thenComparing(Pods::ready)
            .thenComparing(p -> -restarts(p))
            .thenComparing(p -> Json.text(p, "metadata", "creationTimestamp"), Comparator.reverseOrder());

    public static int restarts(JsonNode pod) {
        int total = 0;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            total += status.path("restartCount").asInt();
        }
        return total;
    }
}
