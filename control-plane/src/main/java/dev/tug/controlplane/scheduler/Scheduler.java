package dev.tug.controlplane.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.controllers.Controller;
import dev.tug.controlplane.controllers.EventRecorder;
import dev.tug.controlplane.controllers.Owners;
import dev.tug.controlplane.controllers.ParallelWrites;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Binds pending pods to nodes. Each pass takes every unbound pod, oldest first, keeps the nodes
 * it fits (see {@link NodeFit}) and picks the one with the fewest pods of the same owner, then
 * the fewest pods; pods bound earlier in the pass count at once. A pod that fits nowhere gets
 * {@code PodScheduled=False} with Kubernetes' summary ("0/3 nodes are available: ...") and a
 * FailedScheduling event, and is tried again when pods or nodes change.
 */
public final class Scheduler extends Controller {

    private static final String PASS = "pending";
    private static final Duration EVENT_REPEAT = Duration.ofSeconds(30);

    private final ResourceType pods = ApiResources.of(Pod.class);
    private final ResourceType nodes = ApiResources.of(Node.class);
    private final EventRecorder events;
    /** pod uid -> the unschedulable message last reported, and when. */
    private final Map<String, Map.Entry<String, Instant>> reported = new HashMap<>();
    private int rotation;

    public Scheduler(ResourceService service, EventRecorder events) {
        super(service, "scheduler");
        this.events = events;
        watch(pods, pod -> pass());
        watch(nodes, node -> pass());
    }

    private static Collection<String> pass() {
        return List.of(key(null, PASS));
    }

    @Override
    protected void reconcile(String namespace, String name) {
        List<ObjectNode> allNodes = service.list(nodes, null, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items();
        List<ObjectNode> allPods = service.list(pods, null, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items();
        Map<String, List<JsonNode>> byNode = new TreeMap<>();
        allNodes.forEach(n -> byNode.put(ObjectMetadata.name(n), new ArrayList<>()));
        List<ObjectNode> pending = new ArrayList<>();
        for (ObjectNode pod : allPods) {
            String node = Json.text(pod, "spec", "nodeName");
            if (node != null && !node.isEmpty()) {
                if (byNode.containsKey(node) && NodeFit.holdsResources(pod)) {
                    byNode.get(node).add(pod);
                }
            } else if (!ObjectMetadata.deleting(pod) && ours(pod)) {
                pending.add(pod);
            }
        }
        pending.sort(Comparator.comparing(p -> Json.text(p, "metadata", "creationTimestamp")));
        Map<String, ObjectNode> nodesByName = new HashMap<>();
        allNodes.forEach(n -> nodesByName.put(ObjectMetadata.name(n), n));
        List<Map.Entry<ObjectNode, String>> placements = new ArrayList<>();
        for (ObjectNode pod : pending) {
            String chosen = choose(pod, nodesByName, byNode);
            if (chosen != null) {
                placements.add(Map.entry(pod, chosen));
                // assumed bound from here on, so later pods of this pass see it
                ObjectNode assumed = pod.deepCopy();
                assumed.with("spec").put("nodeName", chosen);
                byNode.get(chosen).add(assumed);
            }
        }
        ParallelWrites.each(placements, placement -> bind(placement.getKey(), placement.getValue()));
        reported.keySet().retainAll(pending.stream().map(ObjectMetadata::uid).toList());
    }

    private static boolean ours(JsonNode pod) {
        String scheduler = Json.text(pod, "spec", "schedulerName");
        return scheduler == null || scheduler.isEmpty() || scheduler.equals("default-scheduler");
    }

    /** The node for the pod, or null when none fits (then the pod is marked unschedulable). */
    private String choose(ObjectNode pod, Map<String, ObjectNode> nodesByName, Map<String, List<JsonNode>> byNode) {
        Map<String, Integer> reasons = new TreeMap<>();
        List<String> feasible = new ArrayList<>();
        for (Map.Entry<String, List<JsonNode>> entry : byNode.entrySet()) {
            Optional<String> misfit = NodeFit.check(pod, nodesByName.get(entry.getKey()), entry.getValue());
            if (misfit.isPresent()) {
                reasons.merge(misfit.get(), 1, Integer::sum);
            } else {
                feasible.add(entry.getKey());
            }
        }
        if (feasible.isEmpty()) {
            unschedulable(pod, byNode.size(), reasons);
            return null;
        }
        String owner = Owners.controller(pod).map(o -> o.path("uid").asText()).orElse(null);
        int offset = rotation++;
        String chosen = null;
        long[] best = null;
        for (int i = 0; i < feasible.size(); i++) {
            String candidate = feasible.get((i + offset) % feasible.size());
            List<JsonNode> there = byNode.get(candidate);
            long siblings = owner == null ? 0 : there.stream().filter(p -> Owners.controller(p)
                    .map(o -> o.path("uid").asText().equals(owner)).orElse(false)).count();
            long[] score = {siblings, there.size()};
            if (best == null || score[0] < best[0] || score[0] == best[0] && score[1] < best[1]) {
                best = score;
                chosen = candidate;
            }
        }
        return chosen;
    }

    private Void bind(ObjectNode pod, String node) {
        try {
            service.bind(pods, ObjectMetadata.namespace(pod), ObjectMetadata.name(pod), node);
            events.normal(pod, "Scheduled", "Successfully assigned " + ObjectMetadata.namespace(pod) + "/"
                    + ObjectMetadata.name(pod) + " to " + node);
        } catch (ApiException e) {
            // deleted or bound meanwhile: the next pass sees it as it is
            if (e.code() != 404 && e.code() != 409) {
                throw e;
            }
        }
        return null;
    }

    private void unschedulable(ObjectNode pod, int nodeCount, Map<String, Integer> reasons) {
        StringBuilder message = new StringBuilder("0/" + nodeCount + " nodes are available");
        if (reasons.isEmpty()) {
            message.append(": no nodes available to schedule pods.");
        } else {
            List<String> parts = new ArrayList<>();
            reasons.forEach((reason, count) -> parts.add(count + " " + reason));
            message.append(": ").append(String.join(", ", parts)).append('.');
        }
        String text = message.toString();
        Map.Entry<String, Instant> last = reported.get(ObjectMetadata.uid(pod));
        Instant now = Instant.now(service.clock());
        if (last != null && last.getKey().equals(text) && last.getValue().plus(EVENT_REPEAT).isAfter(now)) {
            return;
        }
        reported.put(ObjectMetadata.uid(pod), Map.entry(text, now));
        events.warning(pod, "FailedScheduling", text);
        try {
            service.update(pods, ObjectMetadata.namespace(pod), ObjectMetadata.name(pod), "status", RequestOptions.internal(),
                    current -> {
                        var conditions = current.with("status").withArray("conditions");
                        for (int i = conditions.size() - 1; i >= 0; i--) {
                            if ("PodScheduled".equals(conditions.get(i).path("type").asText())) {
                                if (text.equals(conditions.get(i).path("message").asText())) {
                                    return current;
                                }
                                conditions.remove(i);
                            }
                        }
                        current.with("status").put("phase", "Pending");
                        conditions.addObject().put("type", "PodScheduled").put("status", "False").putNull("lastProbeTime")
                                .put("lastTransitionTime", ObjectMetadata.now(service.clock()))
                                .put("reason", "Unschedulable").put("message", text);
                        return current;
                    });
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }
}
