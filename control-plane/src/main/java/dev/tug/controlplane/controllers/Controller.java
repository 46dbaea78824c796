package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.DeleteOptions;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.ResourceService;
import dev.tug.controlplane.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A level-triggered controller: watches only say which objects to look at again, and
 * {@link #reconcile} reads the current state fresh from the store and moves it one step toward
 * the spec. One worker thread per controller, so a key is never reconciled twice at once.
 */
public abstract class Controller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
    private static final long RETRY_MILLIS = 1000;

    protected final ResourceService service;
    private final String name;
    private final WorkQueue queue = new WorkQueue();
    private final List<RegistryLoop> triggers = new ArrayList<>();
    private final Thread worker;
    private volatile boolean running = true;

    protected Controller(ResourceService service, String name) {
        this.service = service;
        this.name = name;
        this.worker = new Thread(this::work, name);
        this.worker.setDaemon(true);
    }

    /** Brings the object named by the key one step closer to its spec; a missing object is fine. */
    protected abstract void reconcile(String namespace, String name);

    /** Reconciles the keys {@code keys} maps each changed object of {@code type} to (before and after the change). */
    protected final void watch(ResourceType type, Function<ObjectNode, Collection<String>> keys) {
        triggers.add(new RegistryLoop(service.store(), type.keyPrefix(), name + ":" + type.plural()) {
            @Override
            protected void resync(List<Store.KeyValue> items) {
                items.forEach(kv -> keys.apply(ResourceService.decode(kv)).forEach(queue::add));
            }

            @Override
            protected void onEvent(Store.Event event) {
                keys.apply(ResourceService.decode(event.kv())).forEach(queue::add);
                if (event.previous() != null) {
                    keys.apply(ResourceService.decode(event.previous())).forEach(queue::add);
                }
            }
        });
    }

    /**
     * Like {@link #watch}, for types whose updates mostly do not concern the controller (node
     * heartbeats): {@code keys} sees the object before a change (null when it is new, and for
     * every object of a fresh listing) and after it (null when it was deleted).
     */
    protected final void watchChanges(ResourceType type, BiFunction<ObjectNode, ObjectNode, Collection<String>> keys) {
        triggers.add(new RegistryLoop(service.store(), type.keyPrefix(), name + ":" + type.plural()) {
            @Override
            protected void resync(List<Store.KeyValue> items) {
                items.forEach(kv -> keys.apply(null, ResourceService.decode(kv)).forEach(queue::add));
            }

            @Override
            protected void onEvent(Store.Event event) {
                ObjectNode before = event.previous() == null ? null : ResourceService.decode(event.previous());
                ObjectNode after = event.type() == Store.EventType.DELETED ? null : ResourceService.decode(event.kv());
                if (before == null && after == null) {
                    before = ResourceService.decode(event.kv());
                }
                keys.apply(before, after).forEach(queue::add);
            }
        });
    }

    /** The object itself. */
    protected static Collection<String> itself(ObjectNode object) {
        return List.of(key(ObjectMetadata.namespace(object), ObjectMetadata.name(object)));
    }

    /** The Node a pod is bound to (nothing while it is unscheduled), for controllers keyed by node. */
    protected static Collection<String> boundNode(ObjectNode pod) {
        String node = Json.text(pod, "spec", "nodeName");
        return node == null ? List.of() : List.of(key(null, node));
    }

    /** The object's controlling owner, when it is of {@code kind}. */
    protected static Function<ObjectNode, Collection<String>> controllerOfKind(String kind) {
        return object -> Owners.controller(object)
                .filter(owner -> kind.equals(owner.path("kind").asText()))
                .map(owner -> List.of(key(ObjectMetadata.namespace(object), owner.path("name").asText())))
                .orElse(List.of());
    }

    protected static String key(String namespace, String name) {
        return (namespace == null ? "" : namespace) + "/" + name;
    }

    protected final void enqueue(String namespace, String name) {
        queue.add(key(namespace, name));
    }

    /** Looks at the object again after {@code delay}, e.g. when minReadySeconds or a deadline passes. */
    protected final void enqueueAfter(String namespace, String name, Duration delay) {
        queue.addAfter(key(namespace, name), delay.toMillis());
    }

    public void start() {
        triggers.forEach(RegistryLoop::start);
        worker.start();
    }

    private void work() {
        while (running) {
            String key;
            try {
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            int slash = key.indexOf('/');
            String namespace = slash == 0 ? null : key.substring(0, slash);
            String objectName = key.substring(slash + 1);
            try {
                reconcile(namespace, objectName);
            } catch (ApiException e) {
                // 409: somebody wrote in between; 404: a dependent vanished. Both settle on a retry.
                if (e.code() != 409 && e.code() != 404) {
                    LOG.warn("{} {}: {}", name, key, e.getMessage());
                }
                queue.addAfter(key, e.code() == 409 ? 50 : RETRY_MILLIS);
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("{} {} failed, retrying", name, key, e);
                queue.addAfter(key, RETRY_MILLIS);
            }
        }
    }

    /** Keys queued or due later; lets tests and benchmarks see a controller at rest. */
    int backlog() {
        return queue.size();
    }

    /** Deletes the object with background propagation; false when it was gone already. */
    protected final boolean deleteIfPresent(ResourceType type, JsonNode object) {
        try {
            service.delete(type, ObjectMetadata.namespace(object), ObjectMetadata.name(object), DeleteOptions.background());
            return true;
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
            return false;
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    @Override
    public void close() {
        running = false;
        triggers.forEach(RegistryLoop::close);
        worker.interrupt();
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
