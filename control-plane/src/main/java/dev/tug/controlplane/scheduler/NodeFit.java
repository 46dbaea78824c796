package dev.tug.controlplane.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tug.controlplane.admission.Quantities;
import dev.tug.controlplane.controllers.Conditions;
import dev.tug.controlplane.controllers.Pods;
import dev.tug.controlplane.objects.ObjectMetadata;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a pod may go to a node, with the reason Kubernetes gives when it may not: the node is
 * ready and schedulable, matches the pod's nodeSelector and required node affinity, has no
 * taint the pod does not tolerate, has room for its requests and pod count, and no host port
 * clash with a pod already there.
 */
final class NodeFit {

    private NodeFit() {
    }

    /** Empty when the pod fits, else the reason ("Insufficient cpu", ...). */
    static Optional<String> check(JsonNode pod, JsonNode node, List<JsonNode> podsOnNode) {
        if (node.path("spec").path("unschedulable").asBoolean(false)) {
            return Optional.of("node(s) were unschedulable");
        }
        if (!ready(node)) {
            return Optional.of("node(s) were not ready");
        }
        Map<String, String> labels = ObjectMetadata.labels(node);
        Map<String, String> selector = ObjectMetadata.stringMap(pod.path("spec").path("nodeSelector"));
        if (!labels.entrySet().containsAll(selector.entrySet()) || !NodeAffinity.matches(pod, node)) {
            return Optional.of("node(s) didn't match Pod's node affinity/selector");
        }
        for (JsonNode taint : node.path("spec").path("taints")) {
            String effect = taint.path("effect").asText();
            if ((effect.equals("NoSchedule") || effect.equals("NoExecute")) && !Tolerations.tolerates(pod, taint)) {
                String value = taint.path("value").asText("");
                return Optional.of("node(s) had untolerated taint {" + taint.path("key").asText() + ": " + value + "}");
            }
        }
        long pods = podsOnNode.size() + 1;
        if (pods > quantity(node.path("status").path("allocatable").path("pods"), BigDecimal.valueOf(110)).longValue()) {
            return Optional.of("Too many pods");
        }
        for (String resource : List.of("cpu", "memory")) {
            BigDecimal used = podsOnNode.stream().map(p -> Requests.of(p, resource)).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal wanted = Requests.of(pod, resource);
            JsonNode allocatable = node.path("status").path("allocatable").path(resource);
            if (wanted.signum() > 0 && !allocatable.isMissingNode()
                    && used.add(wanted).compareTo(quantity(allocatable, BigDecimal.ZERO)) > 0) {
                return Optional.of("Insufficient " + resource);
            }
        }
        for (String port : Requests.hostPorts(pod)) {
            if (podsOnNode.stream().anyMatch(p -> Requests.hostPorts(p).contains(port))) {
                return Optional.of("node(s) didn't have free ports for the requested pod ports");
            }
        }
        return Optional.empty();
    }

    static boolean ready(JsonNode node) {
        return Conditions.isTrue(node.path("status"), "Ready");
    }

    static BigDecimal quantity(JsonNode value, BigDecimal fallback) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        return Quantities.value(new Quantity(value.asText()));
    }

    /** Pods that hold resources on a node: bound there and not finished. */
    static boolean holdsResources(JsonNode pod) {
        return !Pods.terminal(pod);
    }
}
