package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Fills in defaults the way the Kubernetes API server does before it validates and stores an
 * object: the API types' defaults, the create-time preparation of some kinds, and what the default
 * admission plugins add to Pods. Only unset fields change, so applying twice equals applying once,
 * on create and on update alike. One default is for creation only: a Namespace without a
 * {@code resourceVersion} gets the {@code kubernetes} finalizer (on update it must stay removable),
 * so the server sets resourceVersion after defaulting a new object, as it naturally does.
 *
 * <p>What the server must do first: resolve {@code generateName} and, for a new Job, set
 * {@code metadata.uid} (the generated selector names it). What the server does itself: allocating
 * cluster IPs and node ports, the ServiceAccount token volume, PriorityClasses other than the two
 * built-in ones. Kinds not listed here pass unchanged.
 */
public final class Defaulting {

    private static final Map<Class<?>, Consumer<HasMetadata>> KINDS = Map.ofEntries(
            kind(Pod.class, PodDefaults::pod),
            kind(Deployment.class, WorkloadDefaults::deployment),
            kind(ReplicaSet.class, WorkloadDefaults::replicaSet),
            kind(ReplicationController.class, WorkloadDefaults::replicationController),
            kind(DaemonSet.class, WorkloadDefaults::daemonSet),
            kind(Job.class, WorkloadDefaults::job),
            kind(CronJob.class, WorkloadDefaults::cronJob),
            kind(Service.class, CoreDefaults::service),
            kind(Endpoints.class, CoreDefaults::endpoints),
            kind(Namespace.class, CoreDefaults::namespace),
            kind(Node.class, CoreDefaults::node),
            kind(Secret.class, CoreDefaults::secret),
            kind(PersistentVolumeClaim.class, CoreDefaults::persistentVolumeClaim));

    private Defaulting() {
    }

    /**
     * How long new pods tolerate a NotReady or unreachable node before eviction (the
     * DefaultTolerationSeconds admission plugin): the server's flags, set when its controllers start.
     */
    public static void configureDefaultTolerations(long notReadySeconds, long unreachableSeconds) {
        PodDefaults.configureDefaultTolerations(notReadySeconds, unreachableSeconds);
    }

    /** Fills defaults in place, as the Kubernetes API server does for these kinds (idempotent). */
    public static void apply(HasMetadata object) {
        KINDS.getOrDefault(object.getClass(), unchanged -> { }).accept(object);
    }

    private static <T extends HasMetadata> Map.Entry<Class<?>, Consumer<HasMetadata>> kind(Class<T> type, Consumer<T> defaults) {
        return Map.entry(type, object -> defaults.accept(type.cast(object)));
    }
}
