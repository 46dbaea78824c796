package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Keeps {@code spec.replicas} pods of a ReplicaSet (or, with the other type, a
 * ReplicationController): adopts matching orphans, releases pods that stopped matching,
 * creates what is missing and deletes the surplus, least valuable first.
 */
final class ReplicaSetController extends Controller {

    private final ResourceType type;
    private final ResourceType pods = ApiResources.of(Pod.class);
    private final EventRecorder events;

    ReplicaSetController(ResourceService service, ResourceType type, EventRecorder events) {
        super(service, type.plural() + "-controller");
        this.type = type;
        this.events = events;
        watch(type, Controller::itself);
        watch(pods, controllerOrAdopters(service, type));
    }

    /**
     * Keys of the owners of {@code type} a pod event concerns: the pod's controller, or for an
     * orphan, every owner of its namespace whose selector matches it (it may adopt the pod).
     */
    static Function<ObjectNode, Collection<String>> controllerOrAdopters(ResourceService service, ResourceType type) {
        return pod -> {
            if (Owners.controller(pod).isPresent()) {
                return controllerOfKind(type.kind()).apply(pod);
            }
            if (ObjectMetadata.deleting(pod)) {
                return List.of();
            }
            Map<String, String> labels = ObjectMetadata.labels(pod);
            List<String> keys = new ArrayList<>();
            for (ObjectNode owner : service.list(type, ObjectMetadata.namespace(pod), LabelSelector.EVERYTHING,
                    FieldSelector.EVERYTHING).items()) {
                if (!Claims.selector(owner).isEverything() && Claims.selector(owner).matches(labels)) {
                    keys.add(key(ObjectMetadata.namespace(owner), ObjectMetadata.name(owner)));
                }
            }
            return keys;
        };
    }

    @Override
    protected void reconcile(String namespace, String name) {
        ObjectNode set = service.find(type, namespace, name).orElse(null);
        if (set == null || ObjectMetadata.deleting(set)) {
            return;
        }
        List<ObjectNode> owned = Claims.pods(service, set);
        List<ObjectNode> active = new ArrayList<>(owned.stream().filter(Pods::active).toList());
        int wanted = set.path("spec").path("replicas").asInt(1);
        if (active.size() < wanted) {
            active.addAll(createPods(set, wanted - active.size()));
        } else if (active.size() > wanted) {
            active.sort(Pods.DELETION_ORDER);
            while (active.size() > wanted) {
                deletePod(set, active.remove(0));
            }
        }
        writeStatus(set, active);
    }

    /** Creates the missing pods with slow start; a failure is reported and retried a little later. */
    private List<ObjectNode> createPods(ObjectNode set, int count) {
        List<Integer> slots = java.util.stream.IntStream.range(0, count).boxed().toList();
        SlowStart.Result<ObjectNode> result = SlowStart.each(slots, slot -> {
            ObjectNode pod = Pods.fromTemplate(set.path("spec").path("template"), set, ObjectMetadata.name(set) + "-");
            ObjectNode made = service.create(pods, ObjectMetadata.namespace(set), pod, RequestOptions.internal());
            events.normal(set, "SuccessfulCreate", "Created pod: " + ObjectMetadata.name(made));
            return made;
        });
        if (result.failure() != null) {
            events.warning(set, "FailedCreate", "Error creating: " + result.failure().getMessage());
            enqueueAfter(ObjectMetadata.namespace(set), ObjectMetadata.name(set), Duration.ofSeconds(5));
        }
        return result.created();
    }

    private void deletePod(ObjectNode set, ObjectNode pod) {
        if (deleteIfPresent(pods, pod)) {
            events.normal(set, "SuccessfulDelete", "Deleted pod: " + ObjectMetadata.name(pod));
        }
    }

    private void writeStatus(ObjectNode set, List<ObjectNode> active) {
        Instant now = Instant.now(service.clock());
        long minReadySeconds = set.path("spec").path("minReadySeconds").asLong(0);
        Map<String, String> templateLabels = ObjectMetadata.labels(set.path("spec").path("template"));
        int ready = 0;
        int available = 0;
        int fullyLabeled = 0;
        Duration recheck = null;
        for (ObjectNode pod : active) {
            if (Pods.ready(pod)) {
                ready++;
                if (Pods.available(pod, minReadySeconds, now)) {
                    available++;
                } else {
                    Duration left = Pods.untilAvailable(pod, minReadySeconds, now);
                    recheck = recheck == null || left.compareTo(recheck) < 0 ? left : recheck;
                }
            }
            if (ObjectMetadata.labels(pod).entrySet().containsAll(templateLabels.entrySet())) {
                fullyLabeled++;
            }
        }
        ObjectNode status = set.path("status").isObject() ? ((ObjectNode) set.get("status")).deepCopy() : Json.object();
        status.put("replicas", active.size());
        status.put("fullyLabeledReplicas", fullyLabeled);
        status.put("readyReplicas", ready);
        status.put("availableReplicas", available);
        status.put("observedGeneration", set.path("metadata").path("generation").asLong(1));
        service.update(type, ObjectMetadata.namespace(set), ObjectMetadata.name(set), ResourceType.STATUS,
                RequestOptions.internal(), current -> {
                    current.set("status", status);
                    return current;
                });
        if (recheck != null) {
            enqueueAfter(ObjectMetadata.namespace(set), ObjectMetadata.name(set), recheck.plusMillis(100));
        }
    }
}
