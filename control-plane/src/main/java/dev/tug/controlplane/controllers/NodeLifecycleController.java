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
import dev.tug.controlplane.scheduler.Tolerations;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Watches node heartbeats. A node silent for longer than the grace period turns
 * {@code Ready=Unknown} and is tainted {@code node.kubernetes.io/unreachable} (NoSchedule and
 * NoExecute); one that reports NotReady is tainted {@code not-ready}. Pods on a NoExecute-tainted
 * node are deleted once their toleration runs out (at once without one) and their controllers
 * replace them elsewhere. A node that heartbeats again loses the taints; nothing moves back.
 */
final class NodeLifecycleController extends Controller {

    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String NOT_READY = "node.kubernetes.io/not-ready";

    private final ResourceType nodes = ApiResources.of(Node.class);
    private final ResourceType pods = ApiResources.of(Pod.class);
    private final Duration grace;
    private final EventRecorder events;

    NodeLifecycleController(ResourceService service, ControllerSettings settings, EventRecorder events) {
        super(service, "node-lifecycle-controller");
        this.grace = settings.nodeMonitorGracePeriod();
        this.events = events;
        watch(nodes, Controller::itself);
        watch(pods, pod -> {
            String node = Json.text(pod, "spec", "nodeName");
            return node == null ? List.of() : List.of(key(null, node));
        });
    }

    @Override
    protected void reconcile(String namespace, String name) {
        ObjectNode node = service.find(nodes, null, name).orElse(null);
        if (node == null) {
            return;
        }
        Instant now = Instant.now(service.clock());
        JsonNode ready = condition(node, "Ready");
        String state = ready == null ? "Unknown" : ready.path("status").asText("Unknown");
        String heartbeat = ready == null ? null : ready.path("lastHeartbeatTime").asText(null);
        Instant lastHeard = heartbeat == null ? Instant.parse(Json.text(node, "metadata", "creationTimestamp")) : Instant.parse(heartbeat);
        Instant silentAt = lastHeard.plus(grace);
        boolean silent = !silentAt.isAfter(now);
        if (silent && !state.equals("Unknown")) {
            markUnknown(node, now);
            node = service.get(nodes, null, name);
            state = "Unknown";
        } else if (!silent) {
            enqueueAfter(null, name, Duration.between(now, silentAt).plusMillis(100));
        }
        // a node not heard from yet (just registered) keeps what it has until its grace runs out
        if (silent || !state.equals("Unknown")) {
            String wanted = silent ? UNREACHABLE : state.equals("False") ? NOT_READY : null;
            node = taint(node, wanted, now);
        }
        evict(node, now);
    }

    private static JsonNode condition(JsonNode node, String type) {
        for (JsonNode condition : node.path("status").path("conditions")) {
            if (type.equals(condition.path("type").asText())) {
                return condition;
            }
        }
        return null;
    }

    private void markUnknown(ObjectNode node, Instant now) {
        String name = ObjectMetadata.name(node);
        service.update(nodes, null, name, ResourceType.STATUS, RequestOptions.internal(), current -> {
            for (JsonNode condition : current.path("status").path("conditions")) {
                ObjectNode c = (ObjectNode) condition;
                c.put("status", "Unknown");
                c.put("reason", "NodeStatusUnknown");
                c.put("message", "Kubelet stopped posting node status.");
                c.put("lastTransitionTime", now.toString());
            }
            return current;
        });
        events.normal(node, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
        for (ObjectNode pod : podsOn(name)) {
            try {
                service.update(pods, ObjectMetadata.namespace(pod), ObjectMetadata.name(pod), ResourceType.STATUS,
                        RequestOptions.internal(), current -> {
                            for (JsonNode condition : current.path("status").path("conditions")) {
                                if (condition.path("type").asText().equals("Ready")) {
                                    ((ObjectNode) condition).put("status", "False").put("lastTransitionTime", now.toString());
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

    /** Keeps exactly the lifecycle taint the node's state calls for (none when it is Ready). */
    private ObjectNode taint(ObjectNode node, String wanted, Instant now) {
        boolean changes = false;
        for (String key : List.of(UNREACHABLE, NOT_READY)) {
            boolean has = hasTaint(node, key);
            changes |= key.equals(wanted) != has;
        }
        if (!changes) {
            return node;
        }
        return service.update(nodes, null, ObjectMetadata.name(node), null, RequestOptions.internal(), current -> {
            ArrayNode taints = current.with("spec").withArray("taints");
            for (int i = taints.size() - 1; i >= 0; i--) {
                String key = taints.get(i).path("key").asText();
                if ((key.equals(UNREACHABLE) || key.equals(NOT_READY)) && !key.equals(wanted)) {
                    taints.remove(i);
                }
            }
            if (wanted != null && !hasTaint(current, wanted)) {
                taints.addObject().put("key", wanted).put("effect", "NoExecute").put("timeAdded", now.toString());
                if (wanted.equals(UNREACHABLE)) {
                    taints.addObject().put("key", wanted).put("effect", "NoSchedule").put("timeAdded", now.toString());
                }
            }
            if (taints.isEmpty()) {
                current.with("spec").remove("taints");
            }
            return current;
        });
    }

    private static boolean hasTaint(JsonNode node, String key) {
        for (JsonNode taint : node.path("spec").path("taints")) {
            if (key.equals(taint.path("key").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The taint manager: pods that do not (or no longer) tolerate a NoExecute taint go. */
    private void evict(ObjectNode node, Instant now) {
        Instant nextDue = null;
        for (JsonNode taint : node.path("spec").path("taints")) {
            if (!taint.path("effect").asText().equals("NoExecute")) {
                continue;
            }
            Instant added = taint.has("timeAdded") ? Instant.parse(taint.path("timeAdded").asText()) : now;
            for (ObjectNode pod : podsOn(ObjectMetadata.name(node))) {
                if (ObjectMetadata.deleting(pod) || Pods.terminal(pod)) {
                    continue;
                }
                Long seconds = toleratedFor(pod, taint);
                Instant due = seconds == null ? null : seconds == Long.MAX_VALUE ? null : added.plusSeconds(seconds);
                boolean tolerated = seconds != null && (due == null || due.isAfter(now));
                if (!tolerated) {
                    events.normal(pod, "TaintManagerEviction", "Marking for deletion Pod " + ObjectMetadata.namespace(pod)
                            + "/" + ObjectMetadata.name(pod));
                    deleteIfPresent(pods, pod);
                } else if (due != null) {
                    nextDue = nextDue == null || due.isBefore(nextDue) ? due : nextDue;
                }
            }
        }
        if (nextDue != null) {
            enqueueAfter(null, ObjectMetadata.name(node), Duration.between(now, nextDue).plusMillis(100));
        }
    }

    /** Seconds the pod tolerates the taint: null when it does not, MAX_VALUE for ever. */
    private static Long toleratedFor(JsonNode pod, JsonNode taint) {
        Long best = null;
        for (JsonNode toleration : pod.path("spec").path("tolerations")) {
            if (Tolerations.matches(toleration, taint)) {
                long seconds = toleration.has("tolerationSeconds") && !toleration.get("tolerationSeconds").isNull()
                        ? Math.max(0, toleration.get("tolerationSeconds").asLong()) : Long.MAX_VALUE;
                best = best == null ? seconds : Math.max(best, seconds);
            }
        }
        return best;
    }

    private List<ObjectNode> podsOn(String node) {
        return service.list(pods, null, LabelSelector.EVERYTHING, FieldSelector.parse("spec.nodeName=" + node)).items();
    }
}
