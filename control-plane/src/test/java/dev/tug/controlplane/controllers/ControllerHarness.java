package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.DeleteOptions;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import dev.tug.controlplane.store.SqliteStore;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A store, the API semantics over it and the controllers under test, with what a kubelet would
 * do to pods (make them run, ready, finish) done by hand.
 */
final class ControllerHarness implements AutoCloseable {

    final SqliteStore store;
    final ResourceService service;
    final ResourceType pods = ApiResources.of(Pod.class);
    private final List<AutoCloseable> started = new ArrayList<>();

    ControllerHarness(Path dir) {
        this(dir, Clock.systemUTC());
    }

    /** With a clock of the test's own, for controllers that act on time (CronJobs). */
    ControllerHarness(Path dir, Clock clock) {
        store = SqliteStore.open(dir);
        service = new ResourceService(store, clock);
        for (String name : ControllerManager.SYSTEM_NAMESPACES) {
            ObjectNode ns = Json.object();
            ns.putObject("metadata").put("name", name);
            service.create(ApiResources.of(Namespace.class), null, ns, RequestOptions.internal());
        }
    }

    /** Starts a controller built over this harness' service; it is closed with the harness. */
    <T extends Controller> T start(Function<ResourceService, T> factory) {
        T controller = factory.apply(service);
        controller.start();
        started.add(controller);
        return controller;
    }

    ObjectNode create(Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind, String namespace, String json) {
        return service.create(ApiResources.of(kind), namespace, Json.parseObject(json.getBytes()), RequestOptions.internal());
    }

    List<ObjectNode> pods(String namespace) {
        return service.list(pods, namespace, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items();
    }

    List<ObjectNode> activePods(String namespace) {
        return pods(namespace).stream().filter(Pods::active).toList();
    }

    /** What a kubelet reports for a pod whose containers all started and pass readiness. */
    void markRunningAndReady(ObjectNode pod) {
        setStatus(pod, "Running", true);
    }

    void setStatus(ObjectNode pod, String phase, boolean ready) {
        String now = Instant.now().toString();
        service.update(pods, ObjectMetadata.namespace(pod), ObjectMetadata.name(pod), "status", RequestOptions.internal(),
                current -> {
                    ObjectNode status = current.putObject("status");
                    status.put("phase", phase);
                    ObjectNode condition = status.putArray("conditions").addObject();
                    condition.put("type", "Ready");
                    condition.put("status", ready ? "True" : "False");
                    condition.put("lastTransitionTime", now);
                    return current;
                });
    }

    /**
     * What a kubelet reports for a pod with one container {@code c}: Running (ready, restarted
     * {@code restarts} times so far) or finished (Succeeded, Failed) with {@code exitCode} at
     * {@code finishedAt}.
     */
    void setContainerStatus(ObjectNode pod, String phase, int exitCode, int restarts, Instant finishedAt) {
        service.update(pods, ObjectMetadata.namespace(pod), ObjectMetadata.name(pod), "status", RequestOptions.internal(), p -> {
            ObjectNode status = p.putObject("status");
            status.put("phase", phase);
            boolean running = phase.equals("Running");
            ObjectNode ready = status.putArray("conditions").addObject();
            ready.put("type", "Ready").put("status", running ? "True" : "False").put("lastTransitionTime", finishedAt.toString());
            ObjectNode container = status.putArray("containerStatuses").addObject();
            container.put("name", "c").put("restartCount", restarts).put("ready", running);
            if (running) {
                container.putObject("state").putObject("running").put("startedAt", finishedAt.toString());
            } else {
                container.putObject("state").putObject("terminated").put("exitCode", exitCode)
                        .put("reason", exitCode == 0 ? "Completed" : "Error").put("finishedAt", finishedAt.toString());
            }
            return p;
        });
    }

    /** The Events of the namespace with that reason. */
    List<ObjectNode> events(String namespace, String reason) {
        return service.list(ApiResources.of(io.fabric8.kubernetes.api.model.Event.class), namespace, LabelSelector.EVERYTHING,
                FieldSelector.parse("reason=" + reason)).items();
    }

    /** Every pod of the namespace made Running and Ready, as it shows up. */
    void runAll(String namespace) {
        for (ObjectNode pod : activePods(namespace)) {
            if (!Pods.ready(pod)) {
                markRunningAndReady(pod);
            }
        }
    }

    /** What a kubelet does once a deleted pod's containers stopped: removes it for good. */
    void finishDeletions(String namespace) {
        for (ObjectNode pod : pods(namespace)) {
            if (ObjectMetadata.deleting(pod)) {
                service.delete(pods, namespace, ObjectMetadata.name(pod),
                        new DeleteOptions(null, 0L, null, null, false));
            }
        }
    }

    static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(10), condition);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    static <T> T awaitValue(String what, Supplier<T> value) {
        Object[] holder = new Object[1];
        await(what, () -> (holder[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        T result = (T) holder[0];
        return result;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
        store.close();
    }
}
