package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import dev.tug.controlplane.tables.Selectors;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which objects a controller owns, as Kubernetes' controller-ref manager decides it: those it
 * controls that still match its selector, plus matching orphans it adopts; its own that stopped
 * matching are released.
 */
final class Claims {

    private static final ResourceType PODS = ApiResources.of(Pod.class);

    private Claims() {
    }

    /** A workload's selector: an apps/v1 LabelSelector or a ReplicationController's label map. */
    static LabelSelector selector(JsonNode owner) {
        return LabelSelector.parse(Selectors.string(owner.path("spec").path("selector")));
    }

    /** The pods {@code owner} controls; only active orphans are adopted, and a pod being deleted stays claimed. */
    static List<ObjectNode> pods(ResourceService service, ObjectNode owner) {
        return claim(service, PODS, owner, Pods::active, ObjectMetadata::deleting);
    }

    /**
     * The objects of {@code type} in {@code owner}'s namespace that it controls after the claim.
     *
     * @param adoptable which matching orphans may be adopted
     * @param keptUnmatched which of its own objects it keeps although they no longer match
     */
    static List<ObjectNode> claim(ResourceService service, ResourceType type, ObjectNode owner,
            Predicate<JsonNode> adoptable, Predicate<JsonNode> keptUnmatched) {
        LabelSelector selector = selector(owner);
        String namespace = ObjectMetadata.namespace(owner);
        List<ObjectNode> claimed = new ArrayList<>();
        for (ObjectNode object : service.list(type, namespace, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items()) {
            boolean matches = !selector.isEverything() && selector.matches(ObjectMetadata.labels(object));
            if (Owners.controlledBy(object, owner)) {
                if (matches || keptUnmatched.test(object)) {
                    claimed.add(object);
                } else {
                    service.update(type, namespace, ObjectMetadata.name(object), null, RequestOptions.internal(),
                            o -> Owners.release(o, owner));
                }
            } else if (matches && Owners.controller(object).isEmpty() && adoptable.test(object)) {
                claimed.add(service.update(type, namespace, ObjectMetadata.name(object), null, RequestOptions.internal(),
                        o -> Owners.controller(o).isPresent() ? o : Owners.adopt(o, owner)));
            }
        }
        return claimed;
    }
}
