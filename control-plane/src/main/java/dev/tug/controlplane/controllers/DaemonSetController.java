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
import dev.tug.controlplane.scheduler.NodeAffinity;
import dev.tug.controlplane.scheduler.Tolerations;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One pod of a DaemonSet on every node it may run on (nodeSelector, required node affinity,
 * taints it tolerates), a new node getting its pod at once. Pods are created bound to their
 * node, as Kubernetes did before DaemonSets went through the scheduler: a daemon belongs on
 * its node whatever else runs there. Template changes roll node by node within maxUnavailable.
 */
final class DaemonSetController extends Controller {

    static final String REVISION_LABEL = "controller-revision-hash";
    /** Tolerations Kubernetes adds to every daemon pod, so node trouble does not evict daemons. */
    private static final List<String[]> DAEMON_TOLERATIONS = List.of(
            new String[] {"node.kubernetes.io/not-ready", "NoExecute"},
            new String[] {"node.kubernetes.io/unreachable", "NoExecute"},
            new String[] {"node.kubernetes.io/disk-pressure", "NoSchedule"},
            new String[] {"node.kubernetes.io/memory-pressure", "NoSchedule"},
            new String[] {"node.kubernetes.io/pid-pressure", "NoSchedule"},
            new String[] {"node.kubernetes.io/unschedulable", "NoSchedule"});

    private final ResourceType daemonSets = ApiResources.of(DaemonSet.class);
    private final ResourceType pods = ApiResources.of(Pod.class);
    private final ResourceType nodes = ApiResources.of(Node.class);
    private final EventRecorder events;

    DaemonSetController(ResourceService service, EventRecorder events) {
        super(service, "daemonset-controller");
        this.events = events;
        watch(daemonSets, Controller::itself);
        watch(pods, controllerOfKind("DaemonSet"));
        watch(nodes, node -> allDaemonSets());
    }

    private Collection<String> allDaemonSets() {
        List<String> keys = new ArrayList<>();
        service.list(daemonSets, null, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items()
                .forEach(ds -> keys.add(key(ObjectMetadata.namespace(ds), ObjectMetadata.name(ds))));
        return keys;
    }

    @Override
    protected void reconcile(String namespace, String name) {
        ObjectNode ds = service.find(daemonSets, namespace, name).orElse(null);
        if (ds == null || ObjectMetadata.deleting(ds)) {
            return;
        }
        ObjectNode template = daemonTemplate(ds);
        String revision = PodTemplateHash.of(ds.path("spec").path("template"), 0);
        List<ObjectNode> owned = ReplicaSetController.claimPods(ds, pods, service);
        Map<String, List<ObjectNode>> byNode = new HashMap<>();
        for (ObjectNode pod : owned) {
            if (Pods.phase(pod).equals("Failed") && !ObjectMetadata.deleting(pod)) {
                deletePod(ds, pod); // a failed daemon is replaced on the next round
                continue;
            }
            if (Pods.active(pod)) {
                byNode.computeIfAbsent(Json.text(pod, "spec", "nodeName"), n -> new ArrayList<>()).add(pod);
            }
        }
        long minReady = ds.path("spec").path("minReadySeconds").asLong(0);
        Instant now = Instant.now(service.clock());
        boolean rolling = !"OnDelete".equals(Json.text(ds, "spec", "updateStrategy", "type"));
        int budget = maxUnavailable(ds);
        int desired = 0;
        int scheduled = 0;
        int misscheduled = 0;
        int ready = 0;
        int available = 0;
        int updated = 0;
        List<ObjectNode> outdated = new ArrayList<>();
        for (ObjectNode node : service.list(nodes, null, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items()) {
            String nodeName = ObjectMetadata.name(node);
            List<ObjectNode> here = byNode.getOrDefault(nodeName, List.of());
            if (!eligible(template, node)) {
                misscheduled += here.size();
                here.forEach(p -> deletePod(ds, p));
                continue;
            }
            desired++;
            if (here.isEmpty()) {
                if (!ObjectMetadata.deleting(node)) {
                    createPod(ds, template, revision, nodeName);
                }
                budget--;
                continue;
            }
            scheduled++;
            here.stream().skip(1).forEach(p -> deletePod(ds, p));
            ObjectNode pod = here.get(0);
            boolean podAvailable = Pods.available(pod, minReady, now);
            ready += Pods.ready(pod) ? 1 : 0;
            available += podAvailable ? 1 : 0;
            if (!podAvailable) {
                budget--;
            }
            if (revision.equals(ObjectMetadata.labels(pod).get(REVISION_LABEL))) {
                updated++;
            } else if (!podAvailable && rolling) {
                deletePod(ds, pod); // an old pod that is down anyway goes first, costing nothing
            } else {
                outdated.add(pod);
            }
        }
        if (rolling) {
            for (ObjectNode pod : outdated) {
                if (budget-- <= 0) {
                    break;
                }
                deletePod(ds, pod);
            }
        }
        ObjectNode status = Json.object();
        status.put("currentNumberScheduled", scheduled);
        status.put("numberMisscheduled", misscheduled);
        status.put("desiredNumberScheduled", desired);
        status.put("numberReady", ready);
        status.put("numberAvailable", available);
        if (desired - available > 0) {
            status.put("numberUnavailable", desired - available);
        }
        status.put("updatedNumberScheduled", updated);
        status.put("observedGeneration", ds.path("metadata").path("generation").asLong(1));
        service.update(daemonSets, namespace, name, ResourceType.STATUS, RequestOptions.internal(), current -> {
            current.set("status", status);
            return current;
        });
    }

    private static int maxUnavailable(JsonNode ds) {
        JsonNode value = ds.path("spec").path("updateStrategy").path("rollingUpdate").path("maxUnavailable");
        if (value.isMissingNode() || value.isNull()) {
            return 1;
        }
        return value.isInt() ? Math.max(1, value.asInt()) : 1;
    }

    /** The template with the tolerations every daemon pod gets. */
    private static ObjectNode daemonTemplate(ObjectNode ds) {
        ObjectNode template = ds.path("spec").path("template").deepCopy();
        ArrayNode tolerations = template.with("spec").withArray("tolerations");
        for (String[] taint : DAEMON_TOLERATIONS) {
            boolean present = false;
            for (JsonNode t : tolerations) {
                present |= taint[0].equals(t.path("key").asText()) && taint[1].equals(t.path("effect").asText());
            }
            if (!present) {
                tolerations.addObject().put("key", taint[0]).put("operator", "Exists").put("effect", taint[1]);
            }
        }
        return template;
    }

    private static boolean eligible(JsonNode template, JsonNode node) {
        JsonNode pod = template;
        Map<String, String> selector = ObjectMetadata.stringMap(pod.path("spec").path("nodeSelector"));
        if (!ObjectMetadata.labels(node).entrySet().containsAll(selector.entrySet()) || !NodeAffinity.matches(pod, node)) {
            return false;
        }
        for (JsonNode taint : node.path("spec").path("taints")) {
            String effect = taint.path("effect").asText();
            if ((effect.equals("NoSchedule") || effect.equals("NoExecute")) && !Tolerations.tolerates(pod, taint)) {
                return false;
            }
        }
        return true;
    }

    private void createPod(ObjectNode ds, ObjectNode template, String revision, String nodeName) {
        ObjectNode pod = Pods.fromTemplate(template, ds, ObjectMetadata.name(ds) + "-");
        Json.metadata(pod).with("labels").put(REVISION_LABEL, revision);
        pod.with("spec").put("nodeName", nodeName);
        try {
            ObjectNode made = service.create(pods, ObjectMetadata.namespace(ds), pod, RequestOptions.internal());
            events.normal(ds, "SuccessfulCreate", "Created pod: " + ObjectMetadata.name(made));
        } catch (ApiException e) {
            events.warning(ds, "FailedCreate", "Error creating: " + e.getMessage());
        }
    }

    private void deletePod(ObjectNode ds, ObjectNode pod) {
        if (deleteIfPresent(pods, pod)) {
            events.normal(ds, "SuccessfulDelete", "Deleted pod: " + ObjectMetadata.name(pod));
        }
    }
}
