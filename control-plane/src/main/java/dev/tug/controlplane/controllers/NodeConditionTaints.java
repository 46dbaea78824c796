package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The taints Kubernetes' node controller derives from a node's state, so the scheduler and the
 * eviction of pods need to look at taints only: NotReady and unreachable (Ready False or
 * Unknown) repel new pods and evict running ones (NoExecute, after their tolerationSeconds);
 * pressure, a missing network and {@code spec.unschedulable} (kubectl cordon) only repel.
 * These keys belong to the controller: it adds and removes them as the node's state changes.
 */
final class NodeConditionTaints {

    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
    static final String MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
    static final String DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
    static final String PID_PRESSURE = "node.kubernetes.io/pid-pressure";
    static final String NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";

    private static final Set<String> MANAGED =
            Set.of(NOT_READY, UNREACHABLE, UNSCHEDULABLE, MEMORY_PRESSURE, DISK_PRESSURE, PID_PRESSURE, NETWORK_UNAVAILABLE);
    /** Condition type -> the taint it brings while the condition is True. */
    private static final Map<String, String> PRESSURE = Map.of("MemoryPressure", MEMORY_PRESSURE, "DiskPressure", DISK_PRESSURE,
            "PIDPressure", PID_PRESSURE, "NetworkUnavailable", NETWORK_UNAVAILABLE);

    private NodeConditionTaints() {
    }

    /** "key:effect" of every taint the node's state calls for. */
    static Set<String> wanted(JsonNode node) {
        Set<String> wanted = new LinkedHashSet<>();
        for (JsonNode condition : node.path("status").path("conditions")) {
            String type = condition.path("type").asText();
            String status = condition.path("status").asText();
            if (type.equals("Ready") && !status.equals("True")) {
                String key = status.equals("False") ? NOT_READY : UNREACHABLE;
                wanted.add(key + ":NoSchedule");
                wanted.add(key + ":NoExecute");
            } else if (PRESSURE.containsKey(type) && status.equals("True")) {
                wanted.add(PRESSURE.get(type) + ":NoSchedule");
            }
        }
        if (node.path("spec").path("unschedulable").asBoolean(false)) {
            wanted.add(UNSCHEDULABLE + ":NoSchedule");
        }
        return wanted;
    }

    /**
     * Brings the node's taints in line with its state; true when it changed any. NoExecute taints
     * get {@code timeAdded} (a user's too, when it lacks one), since tolerationSeconds count from it.
     */
    static boolean apply(ObjectNode node, Instant now) {
        Set<String> wanted = wanted(node);
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        ArrayNode taints = node.with("spec").withArray("taints");
        boolean changed = false;
        for (int i = taints.size() - 1; i >= 0; i--) {
            JsonNode taint = taints.get(i);
            String key = taint.path("key").asText();
            String effect = taint.path("effect").asText();
            if (MANAGED.contains(key) && !wanted.remove(key + ":" + effect)) {
                taints.remove(i);
                changed = true;
            } else if (effect.equals("NoExecute") && !taint.hasNonNull("timeAdded")) {
                ((ObjectNode) taint).put("timeAdded", timestamp);
                changed = true;
            }
        }
        for (String missing : wanted) {
            List<String> parts = List.of(missing.split(":"));
            ObjectNode taint = taints.addObject().put("key", parts.get(0)).put("effect", parts.get(1));
            if (parts.get(1).equals("NoExecute")) {
                taint.put("timeAdded", timestamp);
            }
            changed = true;
        }
        if (taints.isEmpty()) {
            node.with("spec").remove("taints");
        }
        return changed;
    }
}
