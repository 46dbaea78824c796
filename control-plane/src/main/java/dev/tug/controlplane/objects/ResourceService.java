package dev.tug.controlplane.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.store.KeyExistsException;
import dev.tug.controlplane.store.KeyNotFoundException;
import dev.tug.controlplane.store.RevisionMismatchException;
import dev.tug.controlplane.store.Store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The semantics of the Kubernetes API on top of the {@link Store}: metadata the server owns
 * (uid, timestamps, generation, resourceVersion), optimistic concurrency, status and main
 * resource separation, admission (defaults and validation), finalizers and graceful deletion.
 * Objects travel as JSON; {@code metadata.resourceVersion} is the store's modRevision and is
 * never stored inside the value.
 */
public final class ResourceService {

    /** Kinds whose controllers watch {@code metadata.generation} against {@code status.observedGeneration}. */
    private static final Set<String> GENERATION_KINDS =
            Set.of("Deployment", "ReplicaSet", "ReplicationController", "DaemonSet", "Job", "CronJob");
    private static final int UPDATE_ATTEMPTS = 10;

    public static final String FOREGROUND = "foregroundDeletion";
    public static final String ORPHAN = "orphan";

    private final Store store;
    private final Clock clock;
    private final ResourceType namespaces = ApiResources.of(io.fabric8.kubernetes.api.model.Namespace.class);
    private final ServiceAllocator serviceAllocator;

    public ResourceService(Store store, Clock clock) {
        this(store, clock, ServiceNetwork.defaults());
    }

    public ResourceService(Store store, Clock clock, ServiceNetwork serviceNetwork) {
        this.store = store;
        this.clock = clock;
        this.serviceAllocator = new ServiceAllocator(serviceNetwork, this);
    }

    public ServiceNetwork serviceNetwork() {
        return serviceAllocator.network();
    }

    public Store store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    // ---- reads ----

    public ObjectNode get(ResourceType type, String namespace, String name) {
        return find(type, namespace, name).orElseThrow(() -> ApiException.notFound(type, name));
    }

    public Optional<ObjectNode> find(ResourceType type, String namespace, String name) {
        return store.get(type.key(namespace, name)).map(ResourceService::decode);
    }

    public record ListResult(List<ObjectNode> items, long revision) {
    }

    public ListResult list(ResourceType type, String namespace, LabelSelector labels, FieldSelector fields) {
        Store.Snapshot snapshot = store.list(type.keyPrefix(namespace));
        List<ObjectNode> items = new ArrayList<>(snapshot.items().size());
        for (Store.KeyValue kv : snapshot.items()) {
            ObjectNode object = decode(kv);
            if (labels.matches(ObjectMetadata.labels(object)) && fields.matches(object)) {
                items.add(object);
            }
        }
        return new ListResult(items, snapshot.revision());
    }

    /** The stored value with its resourceVersion, as clients see it. */
    public static ObjectNode decode(Store.KeyValue kv) {
        ObjectNode object = Json.stored(kv.value());
        Json.metadata(object).put("resourceVersion", Long.toString(kv.modRevision()));
        return object;
    }

    // ---- create ----

    public ObjectNode create(ResourceType type, String namespace, ObjectNode body, RequestOptions options) {
        checkTypeMeta(type, body);
        ObjectNode meta = Json.metadata(body);
        String bodyNamespace = Json.text(meta, "namespace");
        if (type.namespaced()) {
            if (bodyNamespace != null && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
                throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            meta.put("namespace", namespace);
            requireActiveNamespace(namespace);
        } else {
            meta.remove("namespace");
        }
        if (Json.text(meta, "resourceVersion") != null && !Json.text(meta, "resourceVersion").isEmpty()) {
            throw ApiException.badRequest("resourceVersion should not be set on objects to be created");
        }
        boolean generated = false;
        String name = Json.text(meta, "name");
        if ((name == null || name.isEmpty()) && Json.text(meta, "generateName") != null) {
            name = ObjectMetadata.generatedName(Json.text(meta, "generateName"));
            generated = true;
        }
        if (name == null || name.isEmpty()) {
            throw ApiException.invalid(type, "", List.of(Admission.cause("metadata.name", "FieldValueRequired",
                    "Required value: name or generateName is required")));
        }
        meta.put("name", name);
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", ObjectMetadata.now(clock));
        meta.remove(List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink"));
        if (GENERATION_KINDS.contains(type.kind())) {
            meta.put("generation", 1);
        } else {
            meta.remove("generation");
        }
        if (type.hasStatusSubresource() && !type.kind().equals("Node")) {
            body.remove("status");
        }
        ObjectNode admitted = Admission.admit(type, body, null, options);
        if (type.equals(ServiceAllocator.SERVICES)) {
            // allocation and the write it depends on go together: the stored Services say what is taken
            synchronized (serviceAllocator) {
                serviceAllocator.allocate(admitted, null);
                return insert(type, admitted, options, generated);
            }
        }
        return insert(type, admitted, options, generated);
    }

    private ObjectNode insert(ResourceType type, ObjectNode admitted, RequestOptions options, boolean generated) {
        if (options.dryRun()) {
            return admitted;
        }
        ObjectNode meta = Json.metadata(admitted);
        String namespace = Json.text(meta, "namespace");
        String name = Json.text(meta, "name");
        for (int attempt = 0; ; attempt++) {
            try {
                return decode(store.create(type.key(namespace, name), Json.bytes(admitted)));
            } catch (KeyExistsException e) {
                if (!generated || attempt >= 3) {
                    throw ApiException.alreadyExists(type, name);
                }
                name = ObjectMetadata.generatedName(Json.text(meta, "generateName"));
                Json.metadata(admitted).put("name", name);
            }
        }
    }

    private void requireActiveNamespace(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            throw ApiException.badRequest("a namespace is required for this resource");
        }
        ObjectNode ns = find(namespaces, null, namespace).orElseThrow(() -> ApiException.notFound(namespaces, namespace));
        if (ObjectMetadata.deleting(ns)) {
            throw ApiException.of(403, "Forbidden", "unable to create new content in namespace " + namespace
                    + " because it is being terminated");
        }
    }

    private static void checkTypeMeta(ResourceType type, ObjectNode body) {
        String apiVersion = Json.text(body, "apiVersion");
        String kind = Json.text(body, "kind");
        if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + type.apiVersion() + ")");
        }
        if (kind != null && !kind.isEmpty() && !kind.equals(type.kind())) {
            throw ApiException.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
                    + type.kind() + ")");
        }
        body.put("apiVersion", type.apiVersion());
        body.put("kind", type.kind());
    }

    // ---- update ----

    /** PUT of the main resource or its {@code status}: the body replaces what the subresource owns. */
    public ObjectNode update(ResourceType type, String namespace, String name, String subresource, ObjectNode body,
            RequestOptions options) {
        checkTypeMeta(type, body);
        String bodyName = ObjectMetadata.name(body);
        if (bodyName != null && !bodyName.equals(name)) {
            throw ApiException.badRequest("the name of the object (" + bodyName
                    + ") does not match the name on the URL (" + name + ")");
        }
        // a copy per attempt: preparing the write changes the object, and a retry starts again from the body
        return update(type, namespace, name, subresource, options, current -> body.deepCopy());
    }

    /**
     * Reads the object, applies {@code change} and writes the result under the read revision,
     * re-reading and re-applying on a concurrent write. A change that names another
     * resourceVersion than the one it was given is the client's 409.
     */
    public ObjectNode update(ResourceType type, String namespace, String name, String subresource,
            RequestOptions options, UnaryOperator<ObjectNode> change) {
        if (allocates(type, subresource)) {
            synchronized (serviceAllocator) {
                return write(type, namespace, name, subresource, options, change);
            }
        }
        return write(type, namespace, name, subresource, options, change);
    }

    /** Writes of a Service itself (not its status) hold cluster IPs and node ports. */
    private static boolean allocates(ResourceType type, String subresource) {
        return type.equals(ServiceAllocator.SERVICES) && subresource == null;
    }

    private ObjectNode write(ResourceType type, String namespace, String name, String subresource,
            RequestOptions options, UnaryOperator<ObjectNode> change) {
        String key = type.key(namespace, name);
        for (int attempt = 0; ; attempt++) {
            Store.KeyValue kv = store.get(key).orElseThrow(() -> ApiException.notFound(type, name));
            ObjectNode current = decode(kv);
            ObjectNode desired = change.apply(current.deepCopy());
            // a change that names a resourceVersion is checked against it; a re-read after a
            // concurrent write re-applies the change, so a stale one fails there and a patch
            // that carries the version it was given simply goes again
            String requested = ObjectMetadata.resourceVersion(desired);
            if (requested != null && !requested.isEmpty() && !requested.equals(Long.toString(kv.modRevision()))) {
                throw ApiException.modified(type, name);
            }
            ObjectNode next = prepareUpdate(type, current, desired, subresource, options);
            if (allocates(type, subresource)) {
                serviceAllocator.allocate(next, current);
            }
            ObjectNode currentStored = current.deepCopy();
            Json.metadata(currentStored).remove("resourceVersion");
            if (Json.same(next, currentStored) || options.dryRun()) {
                return options.dryRun() ? withVersion(next, kv.modRevision()) : current;
            }
            try {
                if (readyToRemove(next)) {
                    return decode(store.delete(key, kv.modRevision()));
                }
                return decode(store.update(key, Json.bytes(next), kv.modRevision()));
            } catch (RevisionMismatchException e) {
                if (attempt >= UPDATE_ATTEMPTS) {
                    throw ApiException.modified(type, name);
                }
            } catch (KeyNotFoundException e) {
                throw ApiException.notFound(type, name);
            }
        }
    }

    /** A deleted object goes once nothing holds it: no finalizers (and, for a namespace, no spec.finalizers). */
    private static boolean readyToRemove(ObjectNode object) {
        return ObjectMetadata.deleting(object) && ObjectMetadata.finalizers(object).isEmpty()
                && object.path("spec").path("finalizers").isEmpty();
    }

    private static ObjectNode withVersion(ObjectNode object, long revision) {
        Json.metadata(object).put("resourceVersion", Long.toString(revision));
        return object;
    }

    private ObjectNode prepareUpdate(ResourceType type, ObjectNode current, ObjectNode desired, String subresource,
            RequestOptions options) {
        ObjectNode oldMeta = Json.metadata(current);
        ObjectNode meta = Json.metadata(desired);
        String uid = Json.text(meta, "uid");
        if (uid != null && !uid.isEmpty() && !uid.equals(Json.text(oldMeta, "uid"))) {
            throw ApiException.conflict(type, ObjectMetadata.name(current), "Precondition failed: UID in precondition: "
                    + uid + ", UID in object meta: " + Json.text(oldMeta, "uid"));
        }
        ObjectNode next;
        if (ResourceType.STATUS.equals(subresource)) {
            next = current.deepCopy();
            if (desired.has("status")) {
                next.set("status", desired.get("status"));
            }
        } else {
            next = desired;
            next.put("apiVersion", type.apiVersion());
            next.put("kind", type.kind());
            for (String owned : List.of("name", "namespace", "uid", "creationTimestamp", "deletionTimestamp",
                    "deletionGracePeriodSeconds", "generation")) {
                copy(oldMeta, meta, owned);
            }
            meta.remove(List.of("managedFields", "selfLink"));
            if (type.hasStatusSubresource()) {
                copy(current, next, "status");
            }
        }
        // defaulting tells a create from an update by the resourceVersion (a namespace gets its
        // finalizer only when created); admission drops it from what is stored
        Json.metadata(next).put("resourceVersion", ObjectMetadata.resourceVersion(current));
        if (allocates(type, subresource)) {
            ServiceAllocator.carryOver(next, current);
        }
        ObjectNode admitted = Admission.admit(type, next, current, options);
        if (GENERATION_KINDS.contains(type.kind()) && !Json.same(spec(admitted), spec(current))) {
            Json.metadata(admitted).put("generation", Json.metadata(current).path("generation").asLong(1) + 1);
        }
        return admitted;
    }

    private static JsonNode spec(ObjectNode object) {
        JsonNode spec = object.get("spec");
        return spec == null ? Json.object() : spec;
    }

    private static void copy(ObjectNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value == null) {
            to.remove(field);
        } else {
            to.set(field, value.deepCopy());
        }
    }

    // ---- binding ----

    /**
     * {@code pods/binding}: assigns a pod to a node, once. Pod updates may not change
     * {@code spec.nodeName}; this is the one write that sets it, as in Kubernetes.
     */
    public ObjectNode bind(ResourceType pods, String namespace, String name, String nodeName) {
        String key = pods.key(namespace, name);
        for (int attempt = 0; ; attempt++) {
            Store.KeyValue kv = store.get(key).orElseThrow(() -> ApiException.notFound(pods, name));
            ObjectNode current = decode(kv);
            String assigned = Json.text(current, "spec", "nodeName");
            if (assigned != null && !assigned.isEmpty()) {
                throw ApiException.conflict(pods, name, "pod " + name + " is already assigned to node \"" + assigned + "\"");
            }
            if (ObjectMetadata.deleting(current)) {
                throw ApiException.conflict(pods, name, "pod " + name + " is being deleted, cannot be assigned to a host");
            }
            ObjectNode next = current.deepCopy();
            Json.metadata(next).remove("resourceVersion");
            next.with("spec").put("nodeName", nodeName);
            var conditions = next.with("status").withArray("conditions");
            for (int i = conditions.size() - 1; i >= 0; i--) {
                if ("PodScheduled".equals(conditions.get(i).path("type").asText())) {
                    conditions.remove(i);
                }
            }
            conditions.addObject().put("type", "PodScheduled").put("status", "True").putNull("lastProbeTime")
                    .put("lastTransitionTime", ObjectMetadata.now(clock));
            try {
                return decode(store.update(key, Json.bytes(next), kv.modRevision()));
            } catch (RevisionMismatchException e) {
                if (attempt >= UPDATE_ATTEMPTS) {
                    throw ApiException.modified(pods, name);
                }
            } catch (KeyNotFoundException e) {
                throw ApiException.notFound(pods, name);
            }
        }
    }

    // ---- delete ----

    /** How a delete ended: gone now ({@code finished}), or marked and waiting for finalizers or a kubelet. */
    public record DeleteOutcome(ObjectNode object, boolean finished) {
    }

    public DeleteOutcome delete(ResourceType type, String namespace, String name, DeleteOptions options) {
        String key = type.key(namespace, name);
        for (int attempt = 0; ; attempt++) {
            Store.KeyValue kv = store.get(key).orElseThrow(() -> ApiException.notFound(type, name));
            ObjectNode current = decode(kv);
            options.checkPreconditions(type, current);
            ObjectNode next = current.deepCopy();
            ObjectNode meta = Json.metadata(next);
            meta.remove("resourceVersion");
            List<String> finalizers = new ArrayList<>(ObjectMetadata.finalizers(current));
            String policy = options.propagationPolicy(type);
            if (policy.equals("Foreground") && !finalizers.contains(FOREGROUND)) {
                finalizers.add(FOREGROUND);
            } else if (policy.equals("Orphan") && !finalizers.contains(ORPHAN)) {
                finalizers.add(ORPHAN);
            }
            long grace = gracePeriod(type, current, options);
            if (type.kind().equals("Namespace")) {
                next.putObject("status").put("phase", "Terminating");
            }
            boolean immediate = finalizers.isEmpty() && grace == 0 && !type.kind().equals("Namespace");
            try {
                if (options.dryRun()) {
                    return new DeleteOutcome(current, immediate);
                }
                if (immediate) {
                    return new DeleteOutcome(decode(store.delete(key, kv.modRevision())), true);
                }
                if (ObjectMetadata.deleting(current) && ObjectMetadata.finalizers(current).equals(finalizers)) {
                    return new DeleteOutcome(current, false);
                }
                if (!ObjectMetadata.deleting(current)) {
                    meta.put("deletionTimestamp", ObjectMetadata.now(clock));
                    meta.put("deletionGracePeriodSeconds", grace);
                }
                ObjectMetadata.setFinalizers(next, finalizers);
                return new DeleteOutcome(decode(store.update(key, Json.bytes(next), kv.modRevision())), false);
            } catch (RevisionMismatchException e) {
                if (attempt >= UPDATE_ATTEMPTS) {
                    throw ApiException.modified(type, name);
                }
            } catch (KeyNotFoundException e) {
                throw ApiException.notFound(type, name);
            }
        }
    }

    /**
     * Pods bound to a node end gracefully: the kubelet stops them and then deletes with grace 0.
     * Unbound pods, and every other kind, go at once.
     */
    private static long gracePeriod(ResourceType type, ObjectNode current, DeleteOptions options) {
        if (!type.kind().equals("Pod") || Json.text(current, "spec", "nodeName") == null) {
            return 0;
        }
        Long requested = options.gracePeriodSeconds();
        if (requested != null) {
            return Math.max(0, requested);
        }
        return current.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    }
}
