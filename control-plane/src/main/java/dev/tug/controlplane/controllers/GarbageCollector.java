package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.DeleteOptions;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import dev.tug.controlplane.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Garbage collection by {@code ownerReferences}, as Kubernetes does it: an object whose owners
 * are all gone is deleted (background); an owner deleted with {@code Foreground} keeps its
 * {@code foregroundDeletion} finalizer until its dependents are gone; one deleted with
 * {@code Orphan} has its dependents released (owner reference removed) before it goes.
 *
 * <p>It keeps an index of every object's uid and owners, fed by one watch over the whole
 * registry, and re-checks only the objects an event concerns.
 */
final class GarbageCollector extends RegistryLoop {

    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    private final ResourceService service;
    /** uid -> store key of every live object. */
    private final Map<String, String> keysByUid = new HashMap<>();
    /** owner uid -> store keys of the objects that name it. */
    private final Map<String, Set<String>> dependents = new HashMap<>();
    /** store key -> owner uids it names. */
    private final Map<String, List<String>> owners = new HashMap<>();
    /** Keys to look at again, e.g. after a failed attempt. */
    private final Set<String> pending = new LinkedHashSet<>();

    GarbageCollector(ResourceService service) {
        super(service.store(), "/registry/", "garbage-collector");
        this.service = service;
    }

    @Override
    protected void resync(List<Store.KeyValue> items) {
        keysByUid.clear();
        dependents.clear();
        owners.clear();
        for (Store.KeyValue kv : items) {
            index(kv.key(), ResourceService.decode(kv));
        }
        // after a restart: dangling dependents and half-done deletions are picked up again
        for (Store.KeyValue kv : items) {
            pending.add(kv.key());
        }
        idle();
    }

    @Override
    protected void onEvent(Store.Event event) {
        String key = event.kv().key();
        ObjectNode object = ResourceService.decode(event.kv());
        String uid = ObjectMetadata.uid(object);
        if (event.type() == Store.EventType.DELETED) {
            unindex(key, uid);
            pending.addAll(dependents.getOrDefault(uid, Set.of()));
            // a foreground owner waits for this dependent: let it check again
            for (String owner : ObjectMetadata.ownerUids(object)) {
                String ownerKey = keysByUid.get(owner);
                if (ownerKey != null) {
                    pending.add(ownerKey);
                }
            }
        } else {
            index(key, object);
            if (!ObjectMetadata.ownerUids(object).isEmpty() || ObjectMetadata.deleting(object)) {
                pending.add(key);
            }
        }
        idle();
    }

    @Override
    protected void idle() {
        for (String key : List.copyOf(pending)) {
            try {
                process(key);
                pending.remove(key);
            } catch (ApiException e) {
                if (e.code() == 404) {
                    pending.remove(key);
                } else {
                    LOG.warn("garbage collection of {}: {}", key, e.getMessage());
                }
            }
        }
    }

    private void process(String key) {
        ApiResources.ObjectKey located = ApiResources.locate(key).orElse(null);
        if (located == null) {
            return;
        }
        ResourceType type = located.type();
        String namespace = located.namespace();
        String name = located.name();
        ObjectNode object = service.find(type, namespace, name).orElse(null);
        if (object == null) {
            return;
        }
        String uid = ObjectMetadata.uid(object);
        List<String> finalizers = ObjectMetadata.finalizers(object);
        if (ObjectMetadata.deleting(object) && finalizers.contains(ResourceService.ORPHAN)) {
            for (String dependent : Set.copyOf(dependents.getOrDefault(uid, Set.of()))) {
                releaseDependent(dependent, uid);
            }
            removeFinalizer(type, namespace, name, ResourceService.ORPHAN);
        } else if (ObjectMetadata.deleting(object) && finalizers.contains(ResourceService.FOREGROUND)) {
            Set<String> remaining = dependents.getOrDefault(uid, Set.of());
            for (String dependent : Set.copyOf(remaining)) {
                deleteKey(dependent, "Foreground");
            }
            if (remaining.isEmpty()) {
                removeFinalizer(type, namespace, name, ResourceService.FOREGROUND);
            }
        }
        List<String> ownerUids = ObjectMetadata.ownerUids(object);
        if (!ownerUids.isEmpty() && ownerUids.stream().noneMatch(keysByUid::containsKey)
                && !ObjectMetadata.deleting(object)) {
            service.delete(type, namespace, name, DeleteOptions.background());
        }
    }

    private void deleteKey(String key, String policy) {
        ApiResources.ObjectKey located = ApiResources.locate(key).orElseThrow();
        try {
            service.delete(located.type(), located.namespace(), located.name(), DeleteOptions.of(policy));
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }

    private void releaseDependent(String key, String ownerUid) {
        ApiResources.ObjectKey located = ApiResources.locate(key).orElseThrow();
        service.update(located.type(), located.namespace(), located.name(), null, RequestOptions.internal(), object -> {
            ArrayNode kept = Json.MAPPER.createArrayNode();
            for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
                if (!ref.path("uid").asText().equals(ownerUid)) {
                    kept.add(ref);
                }
            }
            Json.metadata(object).set("ownerReferences", kept);
            return object;
        });
    }

    private void removeFinalizer(ResourceType type, String namespace, String name, String finalizer) {
        service.update(type, namespace, name, null, RequestOptions.internal(), object -> {
            List<String> finalizers = new java.util.ArrayList<>(ObjectMetadata.finalizers(object));
            finalizers.remove(finalizer);
            ObjectMetadata.setFinalizers(object, finalizers);
            return object;
        });
    }

    private void index(String key, ObjectNode object) {
        String uid = ObjectMetadata.uid(object);
        List<String> previous = owners.remove(key);
        if (previous != null) {
            previous.forEach(owner -> removeDependent(owner, key));
        }
        keysByUid.put(uid, key);
        List<String> ownerUids = ObjectMetadata.ownerUids(object);
        if (!ownerUids.isEmpty()) {
            owners.put(key, ownerUids);
            ownerUids.forEach(owner -> dependents.computeIfAbsent(owner, o -> new HashSet<>()).add(key));
        }
    }

    private void unindex(String key, String uid) {
        keysByUid.remove(uid);
        List<String> previous = owners.remove(key);
        if (previous != null) {
            previous.forEach(owner -> removeDependent(owner, key));
        }
    }

    private void removeDependent(String owner, String key) {
        Set<String> set = dependents.get(owner);
        if (set != null) {
            set.remove(key);
            if (set.isEmpty()) {
                dependents.remove(owner);
            }
        }
    }
}
