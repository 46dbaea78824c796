package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.DeleteOptions;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.ResourceService;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of Kubernetes' pod garbage collector that removes the pods of deleted nodes: no agent
 * will ever stop them or finish their deletion, so without this they would count as running
 * for ever (a DaemonSet's pod on a removed machine, a Deployment's pod never replaced). They
 * go for good (grace 0) once their node has been missing for a quarantine period, in case the
 * node is only being re-registered.
 */
final class OrphanedPodCollector extends Controller {

    /** Kubernetes' quarantine before the pods of a vanished node are removed. */
    static final Duration QUARANTINE = Duration.ofSeconds(40);

    private final ResourceType nodes = ApiResources.of(Node.class);
    private final ResourceType pods = ApiResources.of(Pod.class);
    private final Duration quarantine;
    /** Node name -> when we first found it missing while pods were bound to it; worker thread only. */
    private final Map<String, Instant> missingSince = new HashMap<>();

    OrphanedPodCollector(ResourceService service, Duration quarantine) {
        super(service, "pod-garbage-collector");
        this.quarantine = quarantine;
        watch(nodes, Controller::itself);
        watch(pods, Controller::boundNode);
    }

    @Override
    protected void reconcile(String namespace, String name) {
        List<ObjectNode> orphans = service.find(nodes, null, name).isPresent() ? List.of()
                : service.list(pods, null, LabelSelector.EVERYTHING, FieldSelector.parse("spec.nodeName=" + name)).items();
        if (orphans.isEmpty()) {
            missingSince.remove(name);
            return;
        }
        Instant now = Instant.now(service.clock());
        Instant due = missingSince.computeIfAbsent(name, n -> now).plus(quarantine);
        if (due.isAfter(now)) {
            enqueueAfter(null, name, Duration.between(now, due).plusMillis(50));
            return;
        }
        for (ObjectNode pod : orphans) {
            try {
                service.delete(pods, ObjectMetadata.namespace(pod), ObjectMetadata.name(pod),
                        new DeleteOptions("Background", 0L, null, null, false));
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
        missingSince.remove(name);
    }
}
