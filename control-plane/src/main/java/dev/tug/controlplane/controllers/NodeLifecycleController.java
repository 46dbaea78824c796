package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' node lifecycle controller with its taint manager. A node whose agent has not
 * heartbeat for the grace period turns {@code Ready=Unknown}; the node's state becomes taints
 * ({@link NodeConditionTaints}: unreachable, not-ready, cordoned, ...), and pods on a node with
 * NoExecute taints are deleted when their tolerations run out ({@link TaintEviction}), their
 * controllers replacing them elsewhere. Deleted pods of an unreachable node stay Terminating
 * until its agent returns (or the node is deleted). A node that heartbeats again loses the
 * taints; nothing moves back. Timers, not polling: each node is looked at again when its grace
 * or a toleration runs out.
 */
final class NodeLifecycleController extends Controller {

    /** Conditions that turn Unknown with Ready when the agent falls silent, as in Kubernetes. */
    private static final List<String> AGENT_CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

    /** What this controller last saw of a node: its heartbeat, when (on our clock) it changed, and Ready's status. */
    private record Seen(String heartbeat, Instant heardAt, String ready) {
    }

    private final ResourceType nodes = ApiResources.of(Node.class);
    private final ResourceType pods = ApiResources.of(Pod.class);
    private final Duration grace;
    private final EventRecorder events;
    /** Only the worker thread touches it. */
    private final Map<String, Seen> seen = new HashMap<>();

    NodeLifecycleController(ResourceService service, ControllerSettings settings, EventRecorder events) {
        super(service, "node-lifecycle-controller");
        this.grace = settings.nodeMonitorGracePeriod();
        this.events = events;
        watch(nodes, Controller::itself);
        // a pod bound to a node with NoExecute taints must be judged too
        watch(pods, Controller::boundNode);
    }

    @Override
    protected void reconcile(String namespace, String name) {
        ObjectNode node = service.find(nodes, null, name).orElse(null);
        if (node == null) {
            seen.remove(name);
            return;
        }
        Instant now = Instant.now(service.clock());
        String heartbeat = heartbeat(node);
        Seen before = seen.get(name);
        // Grace counts from when we saw the heartbeat change, on our own clock (Kubernetes'
        // probeTimestamp): an agent's skewed clock does not matter, and a restarted control plane
        // gives every node a full grace period instead of finding them all silent at once.
        Instant heardAt = before != null && before.heartbeat().equals(heartbeat) ? before.heardAt() : now;
        Instant silentAt = heardAt.plus(grace);
        if (silentAt.isAfter(now)) {
            enqueueAfter(null, name, Duration.between(now, silentAt).plusMillis(50));
        } else {
            node = markUnknown(node, heartbeat, now);
        }
        String ready = readyStatus(node);
        seen.put(name, new Seen(heartbeat, heardAt, ready));
        node = updateTaints(node, now);

        List<ObjectNode> podsHere = podsOn(name);
        boolean wentDown = before != null && "True".equals(before.ready()) && !"True".equals(ready);
        if (wentDown) {
            events.normal(node, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
        }
        // a silent agent cannot report its pods: say for it that they are not ready (Services drop them)
        if (wentDown || "Unknown".equals(ready)) {
            markPodsNotReady(podsHere, now);
        }
        evict(node, podsHere, now);
    }

    /** The Ready condition's lastHeartbeatTime; for a node that never reported, its creation. */
    private static String heartbeat(JsonNode node) {
        JsonNode ready = condition(node, "Ready");
        String beat = ready == null ? null : Json.text(ready, "lastHeartbeatTime");
        return beat != null ? beat : Json.text(node, "metadata", "creationTimestamp");
    }

    private static String readyStatus(JsonNode node) {
        JsonNode ready = condition(node, "Ready");
        return ready == null ? null : ready.path("status").asText("Unknown");
    }

    private static JsonNode condition(JsonNode node, String type) {
        return Conditions.find(node.path("status"), type);
    }

    /** Ready (and the pressure conditions) Unknown, unless the agent heartbeat in the meantime. */
    private ObjectNode markUnknown(ObjectNode node, String heartbeat, Instant now) {
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return service.update(nodes, null, ObjectMetadata.name(node), ResourceType.STATUS, RequestOptions.internal(), current -> {
            if (!heartbeat.equals(heartbeat(current))) {
                return current;
            }
            ArrayNode conditions = current.with("status").withArray("conditions");
            for (String type : AGENT_CONDITIONS) {
                ObjectNode condition = (ObjectNode) condition(current, type);
                if (condition == null) {
                    conditions.addObject().put("type", type).put("status", "Unknown").put("reason", "NodeStatusNeverUpdated")
                            .put("message", "Kubelet never posted node status.")
                            .put("lastHeartbeatTime", Json.text(current, "metadata", "creationTimestamp"))
                            .put("lastTransitionTime", timestamp);
                } else if (!"Unknown".equals(condition.path("status").asText())) {
                    condition.put("status", "Unknown").put("reason", "NodeStatusUnknown")
                            .put("message", "Kubelet stopped posting node status.").put("lastTransitionTime", timestamp);
                }
            }
            return current;
        });
    }

    private ObjectNode updateTaints(ObjectNode node, Instant now) {
        if (!NodeConditionTaints.apply(node.deepCopy(), now)) {
            return node;
        }
        return service.update(nodes, null, ObjectMetadata.name(node), null, RequestOptions.internal(), current -> {
            NodeConditionTaints.apply(current, now);
            return current;
        });
    }

    private void markPodsNotReady(List<ObjectNode> podsHere, Instant now) {
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        for (ObjectNode pod : podsHere) {
            // a Terminating pod is left alone: here any write to it would complete its deletion,
            // which is the agent's to confirm
            if (Pods.terminal(pod) || !Pods.ready(pod) || ObjectMetadata.deleting(pod)) {
                continue;
            }
            try {
                service.update(pods, ObjectMetadata.namespace(pod), ObjectMetadata.name(pod), ResourceType.STATUS,
                        RequestOptions.internal(), current -> {
                            for (JsonNode condition : current.path("status").path("conditions")) {
                                if (condition.path("type").asText().equals("Ready")) {
                                    ((ObjectNode) condition).put("status", "False").put("lastTransitionTime", timestamp);
                                }
                            }
                            return current;
                        });
                events.warning(pod, "NodeNotReady", "Node is not ready");
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
    }

    /** The taint manager: pods whose tolerations of the node's NoExecute taints ran out are deleted (gracefully). */
    private void evict(ObjectNode node, List<ObjectNode> podsHere, Instant now) {
        List<JsonNode> taints = TaintEviction.noExecute(node);
        if (taints.isEmpty()) {
            return;
        }
        Instant next = null;
        for (ObjectNode pod : podsHere) {
            if (ObjectMetadata.deleting(pod) || Pods.terminal(pod)) {
                continue;
            }
            Instant due = TaintEviction.due(pod, taints, now);
            if (due == null) {
                continue;
            }
            if (due.isAfter(now)) {
                next = next == null || due.isBefore(next) ? due : next;
            } else {
                events.normal(pod, "TaintManagerEviction",
                        "Marking for deletion Pod " + ObjectMetadata.namespace(pod) + "/" + ObjectMetadata.name(pod));
                deleteIfPresent(pods, pod);
            }
        }
        if (next != null) {
            enqueueAfter(null, ObjectMetadata.name(node), Duration.between(now, next).plusMillis(50));
        }
    }

    private List<ObjectNode> podsOn(String node) {
        return service.list(pods, null, LabelSelector.EVERYTHING, FieldSelector.parse("spec.nodeName=" + node)).items();
    }
}
