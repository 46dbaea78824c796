package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One pod of a DaemonSet on every node it belongs on (see {@link DaemonPlacement}), a new node
 * getting its pod at once, a node that stops matching losing it. Failed daemons are deleted and
 * replaced (with a growing pause when they keep failing). A template change rolls node by node:
 * pods carry the template's hash in {@code controller-revision-hash}, and old ones are deleted
 * while no more than maxUnavailable nodes lack an available pod, their replacement coming once
 * they are gone, so two daemons (and their host ports) never share a node. OnDelete waits for
 * the user to delete old pods. There are no ControllerRevisions, hence no rollback.
 */
final class DaemonSetController extends Controller {

    static final String REVISION_LABEL = "controller-revision-hash";

    /** The pod that counts on a node: bound ones first, then the oldest (Kubernetes' order). */
    private static final Comparator<JsonNode> OLDEST_FIRST = Comparator
            .comparing((JsonNode p) -> Json.text(p, "spec", "nodeName") == null)
            .thenComparing(p -> Json.text(p, "metadata", "creationTimestamp"), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(ObjectMetadata::name);

    private final ResourceType daemonSets = ApiResources.of(DaemonSet.class);
    private final ResourceType pods = ApiResources.of(Pod.class);
    private final ResourceType nodes = ApiResources.of(Node.class);
    private final EventRecorder events;
    private final FailedPodBackoff backoff = new FailedPodBackoff();

    DaemonSetController(ResourceService service, EventRecorder events) {
        super(service, "daemonset-controller");
        this.events = events;
        watch(daemonSets, Controller::itself);
        watch(pods, ReplicaSetController.controllerOrAdopters(service, daemonSets));
        watchChanges(nodes, this::nodeChanged);
    }

    /** Every DaemonSet when a node comes, goes or changes what placement looks at; heartbeats are ignored. */
    private Collection<String> nodeChanged(ObjectNode before, ObjectNode after) {
        if (before != null && after != null && placementFacts(before).equals(placementFacts(after))) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        service.list(daemonSets, null, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items()
                .forEach(ds -> keys.add(key(ObjectMetadata.namespace(ds), ObjectMetadata.name(ds))));
        return keys;
    }

    private static List<JsonNode> placementFacts(JsonNode node) {
        return List.of(node.path("metadata").path("labels"), node.path("spec").path("taints"));
    }

    @Override
    protected void reconcile(String namespace, String name) {
        ObjectNode ds = service.find(daemonSets, namespace, name).orElse(null);
        if (ds == null || ObjectMetadata.deleting(ds)) {
            return;
        }
        ObjectNode template = DaemonPlacement.podTemplate(ds);
        String revision = PodTemplateHash.of(ds.path("spec").path("template"), ds.path("status").path("collisionCount").asInt(0));
        List<ObjectNode> nodeList = new ArrayList<>(service.list(nodes, null, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items());
        nodeList.sort(Comparator.comparing(ObjectMetadata::name));
        Map<String, DaemonPlacement.Verdict> verdicts = new HashMap<>();
        nodeList.forEach(node -> verdicts.put(ObjectMetadata.name(node), DaemonPlacement.of(template, node)));
        Map<String, List<ObjectNode>> byNode = podsByNode(Claims.pods(service, ds));

        boolean acted = manage(ds, template, revision, nodeList, verdicts, byNode);
        // like Kubernetes' expectations: roll only once the creations and deletions above are seen
        if (!acted && "RollingUpdate".equals(Json.text(ds, "spec", "updateStrategy", "type"))) {
            rollingUpdate(ds, revision, nodeList, verdicts, byNode);
        }
        writeStatus(ds, revision, nodeList, verdicts, byNode);
    }

    /** The daemon pods by node; a finished pod that is being deleted no longer occupies its node. */
    private static Map<String, List<ObjectNode>> podsByNode(List<ObjectNode> owned) {
        Map<String, List<ObjectNode>> byNode = new HashMap<>();
        for (ObjectNode pod : owned) {
            if (Pods.terminal(pod) && ObjectMetadata.deleting(pod)) {
                continue;
            }
            String node = Json.text(pod, "spec", "nodeName");
            byNode.computeIfAbsent(node == null ? "" : node, n -> new ArrayList<>()).add(pod);
        }
        byNode.values().forEach(list -> list.sort(OLDEST_FIRST));
        return byNode;
    }

    /**
     * Creates the missing pods and deletes the ones that must go (misplaced, failed, finished,
     * surplus). A node whose pod is still terminating gets its new pod only once the old one is
     * gone. Pods on nodes that no longer exist are left to {@link OrphanedPodCollector}.
     * Returns whether it created or deleted anything.
     */
    private boolean manage(ObjectNode ds, ObjectNode template, String revision, List<ObjectNode> nodeList,
            Map<String, DaemonPlacement.Verdict> verdicts, Map<String, List<ObjectNode>> byNode) {
        List<String> needPods = new ArrayList<>();
        List<ObjectNode> doomed = new ArrayList<>();
        Instant now = Instant.now(service.clock());
        for (ObjectNode node : nodeList) {
            String nodeName = ObjectMetadata.name(node);
            DaemonPlacement.Verdict verdict = verdicts.get(nodeName);
            List<ObjectNode> here = byNode.getOrDefault(nodeName, List.of());
            if (verdict.shouldRun() && here.isEmpty()) {
                needPods.add(nodeName);
            } else if (verdict.shouldContinueRunning()) {
                List<ObjectNode> running = new ArrayList<>();
                for (ObjectNode pod : here) {
                    if (ObjectMetadata.deleting(pod)) {
                        continue;
                    }
                    if (Pods.phase(pod).equals("Failed")) {
                        Duration wait = backoff.next(ObjectMetadata.uid(ds) + "/" + nodeName, now);
                        if (wait.compareTo(Duration.ZERO) > 0) {
                            enqueueAfter(ObjectMetadata.namespace(ds), ObjectMetadata.name(ds), wait);
                            continue;
                        }
                        events.warning(ds, "FailedDaemonPod", "Found failed daemon pod " + ObjectMetadata.namespace(pod) + "/"
                                + ObjectMetadata.name(pod) + " on node " + nodeName + ", will try to kill it");
                        doomed.add(pod);
                    } else if (Pods.phase(pod).equals("Succeeded")) {
                        doomed.add(pod); // daemons are meant to run for ever: start it again
                    } else {
                        running.add(pod);
                    }
                }
                // more than one (a race, a user's copy): keep the oldest
                doomed.addAll(running.subList(Math.min(1, running.size()), running.size()));
            } else {
                here.stream().filter(p -> !ObjectMetadata.deleting(p)).forEach(doomed::add);
            }
        }
        createPods(ds, template, revision, needPods);
        doomed.forEach(pod -> deletePod(ds, pod));
        return !needPods.isEmpty() || !doomed.isEmpty();
    }

    /**
     * Kubernetes' rolling update without surge: every node with no available up-to-date pod
     * (old pod deleted and terminating, new pod not ready yet) counts against maxUnavailable; old
     * pods that are down anyway are replaced at no cost, available old pods only within the rest.
     */
    private void rollingUpdate(ObjectNode ds, String revision, List<ObjectNode> nodeList,
            Map<String, DaemonPlacement.Verdict> verdicts, Map<String, List<ObjectNode>> byNode) {
        long minReady = ds.path("spec").path("minReadySeconds").asLong(0);
        Instant now = Instant.now(service.clock());
        int desired = (int) verdicts.values().stream().filter(DaemonPlacement.Verdict::shouldRun).count();
        int maxUnavailable = maxUnavailable(ds, desired);
        int unavailable = 0;
        List<ObjectNode> doomed = new ArrayList<>();
        List<ObjectNode> candidates = new ArrayList<>();
        for (ObjectNode node : nodeList) {
            List<ObjectNode> here = byNode.get(ObjectMetadata.name(node));
            if (here == null) {
                continue;
            }
            List<ObjectNode> live = here.stream().filter(p -> !ObjectMetadata.deleting(p)).toList();
            List<ObjectNode> updated = live.stream().filter(p -> isUpdated(p, revision)).toList();
            if (live.size() != 1) {
                unavailable++; // none yet, or more than one for manage to sort out
            } else if (!updated.isEmpty()) {
                unavailable += Pods.available(live.get(0), minReady, now) ? 0 : 1;
            } else if (!Pods.available(live.get(0), minReady, now)) {
                doomed.add(live.get(0)); // an old pod that is down anyway goes at no cost
            } else {
                candidates.add(live.get(0));
            }
        }
        int room = Math.max(0, Math.min(maxUnavailable - unavailable, candidates.size()));
        doomed.addAll(candidates.subList(0, room));
        doomed.forEach(pod -> deletePod(ds, pod));
    }

    /** maxUnavailable as a number or a percentage of the desired pods (rounded up), at least 1; maxSurge is not supported. */
    static int maxUnavailable(JsonNode ds, int desired) {
        JsonNode value = ds.path("spec").path("updateStrategy").path("rollingUpdate").path("maxUnavailable");
        int result = 1;
        if (value.isInt()) {
            result = value.asInt();
        } else if (value.isTextual() && value.asText().endsWith("%")) {
            try {
                int percent = Integer.parseInt(value.asText().substring(0, value.asText().length() - 1));
                result = (int) Math.ceil(desired * percent / 100.0);
            } catch (NumberFormatException e) {
                result = 1;
            }
        }
        return Math.max(1, result);
    }

    private static boolean isUpdated(JsonNode pod, String revision) {
        return revision.equals(ObjectMetadata.labels(pod).get(REVISION_LABEL));
    }

    /** The counts {@code kubectl rollout status} and {@code kubectl get ds} read, as Kubernetes counts them. */
    private void writeStatus(ObjectNode ds, String revision, List<ObjectNode> nodeList,
            Map<String, DaemonPlacement.Verdict> verdicts, Map<String, List<ObjectNode>> byNode) {
        long minReady = ds.path("spec").path("minReadySeconds").asLong(0);
        Instant now = Instant.now(service.clock());
        int desired = 0;
        int scheduled = 0;
        int misscheduled = 0;
        int ready = 0;
        int available = 0;
        int updated = 0;
        Duration recheck = null;
        for (ObjectNode node : nodeList) {
            List<ObjectNode> here = byNode.getOrDefault(ObjectMetadata.name(node), List.of());
            if (!verdicts.get(ObjectMetadata.name(node)).shouldRun()) {
                misscheduled += here.isEmpty() ? 0 : 1;
                continue;
            }
            desired++;
            if (here.isEmpty()) {
                continue;
            }
            scheduled++;
            ObjectNode pod = here.get(0);
            if (Pods.ready(pod)) {
                ready++;
                if (Pods.available(pod, minReady, now)) {
                    available++;
                } else if (Pods.active(pod)) {
                    Duration left = Pods.untilAvailable(pod, minReady, now);
                    recheck = recheck == null || left.compareTo(recheck) < 0 ? left : recheck;
                }
            }
            updated += isUpdated(pod, revision) ? 1 : 0;
        }
        ObjectNode status = ds.path("status").isObject() ? ((ObjectNode) ds.get("status")).deepCopy() : Json.object();
        status.put("currentNumberScheduled", scheduled);
        status.put("numberMisscheduled", misscheduled);
        status.put("desiredNumberScheduled", desired);
        status.put("numberReady", ready);
        status.put("numberAvailable", available);
        status.put("updatedNumberScheduled", updated);
        status.put("observedGeneration", ds.path("metadata").path("generation").asLong(1));
        if (desired > available) {
            status.put("numberUnavailable", desired - available);
        } else {
            status.remove("numberUnavailable"); // omitted when zero, as Kubernetes writes it
        }
        if (!Json.same(status, ds.path("status"))) {
            service.update(daemonSets, ObjectMetadata.namespace(ds), ObjectMetadata.name(ds), ResourceType.STATUS,
                    RequestOptions.internal(), current -> {
                        current.set("status", status);
                        return current;
                    });
        }
        if (recheck != null) {
            enqueueAfter(ObjectMetadata.namespace(ds), ObjectMetadata.name(ds), recheck.plusMillis(100));
        }
    }

    /**
     * Creates each missing pod already bound to its node (spec.nodeName), as Kubernetes did
     * before 1.12 when DaemonSet pods began to go through the scheduler: simplest, and a daemon
     * belongs on its node whatever else runs there. Slow start keeps a broken template to one failure.
     */
    private void createPods(ObjectNode ds, ObjectNode template, String revision, List<String> nodeNames) {
        SlowStart.Result<ObjectNode> result = SlowStart.each(nodeNames, nodeName -> {
            ObjectNode pod = Pods.fromTemplate(template, ds, ObjectMetadata.name(ds) + "-");
            Json.metadata(pod).with("labels").put(REVISION_LABEL, revision);
            pod.with("spec").put("nodeName", nodeName);
            ObjectNode made = service.create(pods, ObjectMetadata.namespace(ds), pod, RequestOptions.internal());
            events.normal(ds, "SuccessfulCreate", "Created pod: " + ObjectMetadata.name(made));
            return made;
        });
        if (result.failure() != null) {
            events.warning(ds, "FailedCreate", "Error creating: " + result.failure().getMessage());
            enqueueAfter(ObjectMetadata.namespace(ds), ObjectMetadata.name(ds), Duration.ofSeconds(5));
        }
    }

    private void deletePod(ObjectNode ds, ObjectNode pod) {
        if (deleteIfPresent(pods, pod)) {
            events.normal(ds, "SuccessfulDelete", "Deleted pod: " + ObjectMetadata.name(pod));
        }
    }
}
