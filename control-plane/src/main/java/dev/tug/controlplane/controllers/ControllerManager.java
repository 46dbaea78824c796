package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.admission.Defaulting;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import dev.tug.controlplane.scheduler.Scheduler;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

import java.util.ArrayList;
import java.util.List;

/** Starts the controllers that run inside the API server process, and the objects every cluster has. */
public final class ControllerManager implements AutoCloseable {

    /** The namespaces Kubernetes clusters always have. */
    public static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private final List<RegistryLoop> loops;
    private final List<Controller> controllers;

    private ControllerManager(List<RegistryLoop> loops, List<Controller> controllers) {
        this.loops = loops;
        this.controllers = controllers;
    }

    public static ControllerManager start(ResourceService service, ControllerSettings settings) {
        createSystemNamespaces(service);
        // admission has no per-server settings of its own: the server's flags reach DefaultTolerationSeconds here
        Defaulting.configureDefaultTolerations(settings.notReadyTolerationSeconds(), settings.unreachableTolerationSeconds());
        List<RegistryLoop> loops = List.of(new NamespaceController(service), new GarbageCollector(service));
        List<Controller> controllers = new ArrayList<>();
        controllers.add(new ReplicaSetController(service, ApiResources.of(ReplicaSet.class),
                new EventRecorder(service, "replicaset-controller")));
        controllers.add(new ReplicaSetController(service, ApiResources.of(ReplicationController.class),
                new EventRecorder(service, "replication-controller")));
        controllers.add(new DeploymentController(service, new EventRecorder(service, "deployment-controller")));
        controllers.add(new JobController(service, new EventRecorder(service, "job-controller")));
        controllers.add(new DaemonSetController(service, new EventRecorder(service, "daemonset-controller")));
        controllers.add(new NodeLifecycleController(service, settings, new EventRecorder(service, "node-controller")));
        controllers.add(new CronJobController(service, new EventRecorder(service, "cronjob-controller")));
        controllers.add(new OrphanedPodCollector(service, OrphanedPodCollector.QUARANTINE));
        controllers.add(new NodeIpamController(service, settings, new EventRecorder(service, "cidrAllocator")));
        controllers.add(new EndpointsController(service));
        controllers.add(new EndpointSliceController(service));
        controllers.add(new Scheduler(service, new EventRecorder(service, "default-scheduler")));
        loops.forEach(RegistryLoop::start);
        controllers.forEach(Controller::start);
        return new ControllerManager(loops, controllers);
    }

    private static void createSystemNamespaces(ResourceService service) {
        for (String name : SYSTEM_NAMESPACES) {
            ObjectNode namespace = Json.object();
            namespace.putObject("metadata").put("name", name);
            try {
                service.create(ApiResources.of(Namespace.class), null, namespace, RequestOptions.internal());
            } catch (ApiException e) {
                if (e.code() != 409) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() {
        controllers.forEach(Controller::close);
        loops.forEach(RegistryLoop::close);
    }
}
